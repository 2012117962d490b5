package io.storefleet.fabric.tls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * A certificate, its key and optionally the CA certificates to trust, as PEM files. {@link #load}
 * reads and checks them together, so a half-written rotation is refused as a whole, with the file
 * and the fix named.
 *
 * @param cert the certificate chain, leaf first
 * @param key the leaf's unencrypted PKCS#8 key
 * @param ca the CA certificates peers must be signed by (several during a CA rotation), or null
 */
public record PemFiles(Path cert, Path key, Path ca) {

  /** The files' contents, checked: the key matches the certificate, which is valid now and signed by a CA given. */
  public Loaded load(Clock clock) throws IOException {
    byte[] certBytes = read(cert, "certificate");
    byte[] keyBytes = read(key, "private key");
    byte[] caBytes = ca == null ? null : read(ca, "CA certificate");
    List<X509Certificate> chain = Pem.parseCertificates(certBytes, cert.toString());
    PrivateKey pk = Pem.parsePrivateKey(keyBytes, key.toString());
    X509Certificate leaf = chain.get(0);
    if (!matches(pk, leaf)) {
      throw new IOException("the key " + key + " does not belong to the certificate " + cert
          + " (" + leaf.getSubjectX500Principal() + "); write the key and certificate of one issue together");
    }
    try {
      leaf.checkValidity(java.util.Date.from(clock.instant()));
    } catch (GeneralSecurityException e) {
      throw new IOException("the certificate " + cert + " (" + leaf.getSubjectX500Principal() + ") is not valid now:"
          + " it runs from " + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant()
          + "; issue a new one", e);
    }
    List<X509Certificate> cas = caBytes == null ? List.of() : Pem.parseCertificates(caBytes, ca.toString());
    if (ca != null && cas.stream().noneMatch(c -> signedBy(leaf, c))) {
      throw new IOException("the certificate " + cert + " (" + leaf.getSubjectX500Principal() + ", issued by "
          + leaf.getIssuerX500Principal() + ") is not signed by a CA in " + ca
          + "; issue it from the cluster CA, or add its CA to " + ca + " first");
    }
    byte[] digest = digest(certBytes, keyBytes, caBytes);
    return new Loaded(Buffer.buffer(certBytes), Buffer.buffer(keyBytes), caBytes == null ? null : Buffer.buffer(caBytes),
        pk, chain, cas, CertificateFacts.of(leaf), cas.stream().map(CertificateFacts::of).toList(), digest);
  }

  private static byte[] read(Path p, String what) throws IOException {
    try {
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new IOException("the " + what + " file " + p + " does not exist; create it (deploy/cluster-ca.sh) or fix"
          + " the setting that names it", e);
    }
  }

  private static boolean matches(PrivateKey key, X509Certificate cert) {
    try {
      String alg = signatureAlgorithm(key.getAlgorithm());
      byte[] probe = "storefleet key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(cert.getPublicKey());
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The signature algorithm storefleet uses with a key of {@code keyAlgorithm} (EC or RSA). */
  static String signatureAlgorithm(String keyAlgorithm) {
    return keyAlgorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
  }

  static boolean signedBy(X509Certificate leaf, X509Certificate ca) {
    try {
      leaf.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static byte[] digest(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        if (p != null) {
          md.update(p);
        }
        md.update((byte) 0);
      }
      return md.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The contents of one {@link #load}: what Vert.x is given, and the facts an operator sees. */
  public record Loaded(Buffer certPem, Buffer keyPem, Buffer caPem, PrivateKey key, List<X509Certificate> chain,
      List<X509Certificate> caCertificates, CertificateFacts leaf, List<CertificateFacts> authorities, byte[] digest) {

    public PemKeyCertOptions keyCert() {
      return new PemKeyCertOptions().addCertValue(certPem).addKeyValue(keyPem);
    }

    public PemTrustOptions trust() {
      return new PemTrustOptions().addCertValue(caPem);
    }

    public boolean sameFilesAs(Loaded other) {
      return other != null && Arrays.equals(digest, other.digest);
    }
  }
}
