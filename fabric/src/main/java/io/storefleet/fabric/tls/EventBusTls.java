package io.storefleet.fabric.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.ServerSSLOptions;
import java.lang.reflect.Field;

/**
 * Mutual TLS on the clustered event bus: every node presents a certificate signed by the cluster
 * CA and accepts connections only from peers that do. A Hazelcast member without such a
 * certificate can still register a consumer in the cluster's subscription map, but no node opens
 * a connection to it nor accepts one from it, so it never sends nor receives a message.
 */
public final class EventBusTls {
  private EventBusTls() {}

  /**
   * How long a handshake may take: Vert.x's 10 s default is exceeded by a cold JVM on a loaded
   * machine, and a request waits for it anyway (it gives up after its own timeout).
   */
  static final long HANDSHAKE_TIMEOUT_SECONDS = 30;

  /** Sets {@code opts} up for mutual TLS with {@code material}. */
  public static EventBusOptions apply(EventBusOptions opts, PemFiles.Loaded material) {
    return opts.setSsl(true)
        .setSslHandshakeTimeout(HANDSHAKE_TIMEOUT_SECONDS)
        .setSslHandshakeTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(material.keyCert())
        .setTrustOptions(material.trust());
  }

  /**
   * Puts a new certificate set in service on a running node's event bus, for connections opened
   * from now on. Vert.x 5 lets a running server and client take new SSL options, but keeps the
   * clustered event bus's own server and client private: they are reached by their field names,
   * which {@code EventBusTlsIT} pins to the Vert.x version in use.
   */
  public static Future<Void> update(Vertx vertx, PemFiles.Loaded material) {
    NetServer server;
    NetClient client;
    try {
      EventBus bus = vertx.eventBus();
      server = (NetServer) field(bus, "server");
      client = (NetClient) field(bus, "client");
    } catch (ReflectiveOperationException | ClassCastException e) {
      return Future.failedFuture(new IllegalStateException("this Vert.x version's clustered event bus cannot take a"
          + " new certificate while running (" + e + "); restart the node to rotate its certificate", e));
    }
    ServerSSLOptions serverSsl = (ServerSSLOptions) new ServerSSLOptions().setClientAuth(ClientAuth.REQUIRED)
        .setSslHandshakeTimeout(HANDSHAKE_TIMEOUT_SECONDS).setSslHandshakeTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS)
        .setKeyCertOptions(material.keyCert()).setTrustOptions(material.trust());
    // The event bus identifies peers by the CA's signature, not by host name, as Vert.x's own client does.
    ClientSSLOptions clientSsl = (ClientSSLOptions) new ClientSSLOptions().setHostnameVerificationAlgorithm("")
        .setSslHandshakeTimeout(HANDSHAKE_TIMEOUT_SECONDS).setSslHandshakeTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS)
        .setKeyCertOptions(material.keyCert()).setTrustOptions(material.trust());
    return server.updateSSLOptions(serverSsl, true)
        .compose(x -> client.updateSSLOptions(clientSsl, true))
        .mapEmpty();
  }

  private static Object field(Object owner, String name) throws ReflectiveOperationException {
    Field f = owner.getClass().getDeclaredField(name);
    f.setAccessible(true);
    Object v = f.get(owner);
    if (v == null) {
      throw new NoSuchFieldException(name + " is not set (event bus not started?)");
    }
    return v;
  }
}
