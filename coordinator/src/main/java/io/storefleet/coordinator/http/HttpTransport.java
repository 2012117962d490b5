package io.storefleet.coordinator.http;

import io.storefleet.fabric.tls.CertificateMaker;
import io.storefleet.fabric.tls.Loopback;
import io.storefleet.fabric.tls.PemFiles;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * How the API is served: HTTPS with a configured certificate, HTTPS with a self-signed one made
 * at first start, or plain HTTP, which is refused on an address other than loopback unless
 * {@code http.allowPlain=true}.
 *
 * @param mode which of the three
 * @param files the certificate and key (PEM); for {@link Mode#SELF_SIGNED} where they are kept
 * @param allowPlain plain HTTP is allowed on any address
 */
public record HttpTransport(Mode mode, PemFiles files, boolean allowPlain) {

  /** How long a self-signed certificate made at first start is valid. */
  public static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(825);

  public enum Mode {
    /** HTTPS with the operator's certificate and key ({@code http.tlsCert}, {@code http.tlsKey}). */
    CONFIGURED,
    /** HTTPS with a self-signed certificate made at first start in {@code http.tlsDir}; the CLI pins it. */
    SELF_SIGNED,
    /** Plain HTTP ({@code http.tls=off}): loopback only, unless {@code http.allowPlain=true}. */
    PLAIN
  }

  /** Plain HTTP, as the in-process test clusters use on loopback. */
  public static HttpTransport plain() {
    return new HttpTransport(Mode.PLAIN, null, false);
  }

  /** A self-signed certificate kept in {@code dir} ({@code http.crt}, {@code http.key}). */
  public static HttpTransport selfSigned(Path dir) {
    return new HttpTransport(Mode.SELF_SIGNED, new PemFiles(dir.resolve("http.crt"), dir.resolve("http.key"), null), false);
  }

  public boolean tls() {
    return mode != Mode.PLAIN;
  }

  /**
   * Checks that this transport may serve on {@code host} and, for TLS, reads (or first makes) the
   * certificate. Blocking: call it off the event loop.
   *
   * @return the certificate set to serve, null for plain HTTP
   * @throws IllegalArgumentException plain HTTP on a non-loopback address without allowPlain
   */
  public PemFiles.Loaded prepare(String host, Clock clock) throws IOException {
    if (mode == Mode.PLAIN) {
      if (!allowPlain && !Loopback.is(host)) {
        throw new IllegalArgumentException("plain HTTP on " + host + " is refused: tokens and mail would cross the"
            + " network unencrypted. Serve HTTPS (leave http.tls at its default, self-signed, or give http.tlsCert and"
            + " http.tlsKey), listen on 127.0.0.1 behind a TLS proxy, or set http.allowPlain=true");
      }
      return null;
    }
    if (mode == Mode.SELF_SIGNED && !Files.exists(files.cert())) {
      List<String> names = new ArrayList<>(hostNames(host));
      new CertificateMaker(clock).selfSigned(names.get(0), names, SELF_SIGNED_VALIDITY)
          .writeTo(files.key(), files.cert());
    }
    return files.load(clock);
  }

  /** Serves {@code tls}, or plain HTTP when it is null. */
  public static HttpServerOptions serverOptions(PemFiles.Loaded tls) {
    HttpServerOptions o = new HttpServerOptions();
    if (tls != null) {
      o.setSsl(true).setKeyCertOptions(tls.keyCert());
    }
    return o;
  }

  private static List<String> hostNames(String host) {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    names.add(host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host);
    names.add("localhost");
    names.add("127.0.0.1");
    try {
      names.add(InetAddress.getLocalHost().getHostName());
    } catch (IOException e) {
      // No name for this machine: the addresses above remain.
    }
    return List.copyOf(names);
  }
}
