package io.storefleet.cli;

import io.storefleet.protocol.tls.Fingerprint;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the CLI trusts a coordinator: a certificate a CA in the JDK's trust store vouches for (host
 * name checked) is accepted as is; any other, such as the coordinator's self-signed one, is
 * pinned on first use in {@link KnownCoordinators} and must stay the same afterwards.
 */
final class PinningTrust extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager system;
  private final KnownCoordinators known;
  private final PrintStream notices;

  private PinningTrust(X509ExtendedTrustManager system, KnownCoordinators known, PrintStream notices) {
    this.system = system;
    this.known = known;
    this.notices = notices;
  }

  static SSLContext context(KnownCoordinators known, PrintStream notices) {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init((KeyStore) null);
      X509ExtendedTrustManager system = null;
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          system = x;
        }
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new PinningTrust(system, known, notices)}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK offers no TLS context", e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    vouchedOrPinned(() -> system.checkServerTrusted(chain, authType, engine),
        engine.getPeerHost() + ":" + engine.getPeerPort(), chain[0]);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    vouchedOrPinned(() -> system.checkServerTrusted(chain, authType, socket),
        socket.getInetAddress().getHostName() + ":" + socket.getPort(), chain[0]);
  }

  private interface CaCheck {
    void run() throws CertificateException;
  }

  private void vouchedOrPinned(CaCheck ca, String endpoint, X509Certificate leaf) throws CertificateException {
    try {
      ca.run();
      return;
    } catch (CertificateException notFromAKnownCa) {
      // Not vouched for by a CA: the pin decides.
    }
    check(endpoint, leaf);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("the coordinator's certificate needs its host to be checked");
  }

  private void check(String endpoint, X509Certificate leaf) throws CertificateException {
    String seen = Fingerprint.sha256(leaf);
    try {
      KnownCoordinators.Pin pin = known.find(endpoint);
      if (pin == null) {
        known.pin(endpoint, seen);
        notices.println("storefleet: first connection to the coordinator at " + endpoint + "; its certificate ("
            + leaf.getSubjectX500Principal().getName() + ", SHA-256 " + seen + ") is now pinned in " + known.file()
            + ". Compare it with the fingerprint the coordinator printed at start.");
        return;
      }
      if (!pin.fingerprint().equals(seen)) {
        throw new CertificateChangedException("the coordinator at " + endpoint + " presents another certificate than"
            + " the one pinned on first use (" + known.file() + " line " + pin.line() + "): pinned SHA-256 "
            + pin.fingerprint() + ", presented " + seen + ". Someone may be between you and the coordinator. Connection"
            + " refused. If the coordinator's certificate was replaced on purpose, compare " + seen + " with the"
            + " fingerprint it printed at start, then delete line " + pin.line() + " of " + known.file()
            + " and run the command again.");
      }
    } catch (IOException e) {
      throw new CertificateException("cannot read or write " + known.file() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("the CLI is never a TLS server");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("the CLI is never a TLS server");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("the CLI is never a TLS server");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return system.getAcceptedIssuers();
  }

  /** The pinned certificate and the presented one differ. */
  static final class CertificateChangedException extends CertificateException {
    CertificateChangedException(String message) {
      super(message);
    }
  }
}
