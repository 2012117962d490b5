package io.storefleet.worker.testing.dovecot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Linked private Dovecot instances: backends whose users share folders with users of the other
 * backends, and the proxy between them, as Dovecot 2.3.15+ does sharing in a cluster. A grantee
 * logged in on their own backend sees an owner's shared folder under {@code shared/<owner>/}; the
 * backend opens it over IMAP (imapc) through the proxy, which routes the login to the owner's
 * backend (the one whose users file lists the owner) as {@code <owner>*<grantee>}, so the owner's
 * backend applies the grantee's ACL rights. Every backend lists shared folders from one ACL
 * dictionary in the proxy's directory. Users may move between backends: the proxy reads the users
 * files on each login.
 */
public final class DovecotCluster implements AutoCloseable {
  private final DovecotServer proxy;
  private final List<DovecotServer> backends;

  private DovecotCluster(DovecotServer proxy, List<DovecotServer> backends) {
    this.proxy = proxy;
    this.backends = backends;
  }

  /** Starts {@code n} backends and the proxy; returns once all accept IMAP connections. */
  public static DovecotCluster start(int n) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(n);
      } catch (IOException e) {
        // As for one server (DovecotServer.start): another process may take a picked port before
        // Dovecot binds it; the next attempt picks new ports for every instance.
        if (attempt == 3 || !DovecotServer.portTaken(e)) {
          throw e;
        }
      }
    }
  }

  private static DovecotCluster startOnce(int n) throws IOException {
    List<DovecotServer> started = new ArrayList<>();
    DovecotServer proxy = DovecotServer.create(DovecotServer.Role.PROXY, null, false);
    started.add(proxy);
    try {
      Path shared = Files.createDirectories(proxy.directory().resolve("shared"));
      DovecotServer.chown(shared);
      DovecotServer.Link link = new DovecotServer.Link(proxy.imapPort(), UUID.randomUUID().toString(),
          shared.resolve("shared-mailboxes.db"));
      List<DovecotServer> backends = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        DovecotServer b = DovecotServer.create(DovecotServer.Role.BACKEND, link, false);
        started.add(b);
        b.launch(List.of());
        backends.add(b);
      }
      proxy.launch(backends);
      return new DovecotCluster(proxy, List.copyOf(backends));
    } catch (IOException | RuntimeException e) {
      started.forEach(DovecotServer::stop);
      throw e;
    }
  }

  /** Backend {@code i}, from 0. */
  public DovecotServer backend(int i) {
    return backends.get(i);
  }

  public List<DovecotServer> backends() {
    return backends;
  }

  public DovecotServer proxy() {
    return proxy;
  }

  /** The instances' logs, for failure messages. */
  public String logs() {
    StringBuilder sb = new StringBuilder(proxy.log());
    backends.forEach(b -> sb.append(b.log()));
    return sb.toString();
  }

  @Override
  public void close() {
    backends.forEach(DovecotServer::stop);
    proxy.stop();
  }
}
