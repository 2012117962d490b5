package io.storefleet.worker.testing.dovecot;

import io.storefleet.worker.testing.MissingComponent;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a private {@link DovecotServer} for a test class and always stops it after the class.
 * Register it as a static field with {@code @RegisterExtension}.
 *
 * <p>Where Dovecot is not installed: in CI ({@code CI=true}) the class fails, because Dovecot
 * tests must run there; elsewhere it is skipped with the command that installs Dovecot.
 */
public final class DovecotExtension implements BeforeAllCallback, AfterAllCallback {
  static final String INSTALL = "deploy/dovecot/install.sh (as root: apt-get install dovecot-core dovecot-imapd)";

  private final boolean tls;
  private final boolean lazyExpunge;
  private DovecotServer server;

  public DovecotExtension() {
    this(false);
  }

  /** With {@code tls}, the instance also offers STARTTLS and imaps (see {@link DovecotServer#start(boolean)}). */
  public DovecotExtension(boolean tls) {
    this(tls, false);
  }

  private DovecotExtension(boolean tls, boolean lazyExpunge) {
    this.tls = tls;
    this.lazyExpunge = lazyExpunge;
  }

  /** An instance with the lazy_expunge plugin (see {@link DovecotServer#start(boolean, boolean)}). */
  public static DovecotExtension withLazyExpunge() {
    return new DovecotExtension(false, true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    requireDovecot();
    server = DovecotServer.start(tls, lazyExpunge);
  }

  /**
   * Fails in CI and aborts elsewhere where private Dovecot instances cannot run (not installed, not
   * root): for tests that start them (a {@link DovecotCluster}) themselves.
   */
  public static void requireDovecot() {
    MissingComponent.require(DovecotServer.binary().isPresent(),
        "Dovecot is not installed; install it with " + INSTALL + " (.ci/run does) to run these tests");
    // The private instance runs its mail processes under a fixed uid, which needs root.
    MissingComponent.require("root".equals(System.getProperty("user.name")),
        "the private Dovecot instance needs root (it runs mail processes as uid " + DovecotServer.MAIL_UID
            + "); run the tests as root");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.stopDeletingInBackground();
      server = null;
    }
  }

  /** The running instance (only inside the test class's lifetime). */
  public DovecotServer server() {
    if (server == null) {
      throw new IllegalStateException("the Dovecot instance is not running; register DovecotExtension as a static field");
    }
    return server;
  }
}
