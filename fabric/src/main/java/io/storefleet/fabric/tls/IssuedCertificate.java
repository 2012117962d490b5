package io.storefleet.fabric.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A private key and its certificate chain, leaf first (the issuing CA's certificate follows). */
public record IssuedCertificate(PrivateKey key, List<X509Certificate> chain) {
  public IssuedCertificate {
    chain = List.copyOf(chain);
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** Writes the key (mode 0600) and the chain as PEM; the certificate last, so a watcher sees a matching pair. */
  public void writeTo(Path keyFile, Path certFile) throws IOException {
    Pem.write(keyFile, Pem.privateKey(key), true);
    Pem.write(certFile, Pem.certificates(chain), false);
  }
}
