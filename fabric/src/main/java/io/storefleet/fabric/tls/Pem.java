package io.storefleet.fabric.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The PEM files storefleet reads and writes: certificates (a chain, leaf first) and unencrypted
 * PKCS#8 private keys ({@code -----BEGIN PRIVATE KEY-----}), the forms Vert.x and openssl take.
 */
public final class Pem {
  private static final Base64.Encoder LINES = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private Pem() {}

  public static String certificates(List<X509Certificate> chain) {
    StringBuilder sb = new StringBuilder();
    for (X509Certificate c : chain) {
      try {
        sb.append(block("CERTIFICATE", c.getEncoded()));
      } catch (CertificateException e) {
        throw new IllegalStateException("certificate " + c.getSubjectX500Principal() + " cannot be encoded", e);
      }
    }
    return sb.toString();
  }

  public static String privateKey(PrivateKey key) {
    return block("PRIVATE KEY", key.getEncoded());
  }

  private static String block(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + LINES.encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  /** Every certificate in a PEM file, in file order; none is an error naming the file. */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    return parseCertificates(Files.readAllBytes(file), file.toString());
  }

  static List<X509Certificate> parseCertificates(byte[] pem, String source) throws IOException {
    try {
      List<X509Certificate> out = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new IOException(source + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
      }
      return out;
    } catch (CertificateException e) {
      throw new IOException(source + " is not a PEM certificate file: " + e.getMessage(), e);
    }
  }

  /** An unencrypted PKCS#8 key (EC or RSA). */
  static PrivateKey parsePrivateKey(byte[] pem, String source) throws IOException {
    String text = new String(pem, StandardCharsets.US_ASCII);
    int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = text.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new IOException(source + " holds no unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----); convert it with"
          + " 'openssl pkcs8 -topk8 -nocrypt -in OLD -out " + source + "'");
    }
    byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + 27, end));
    for (String alg : List.of("EC", "RSA")) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // Try the next algorithm.
      }
    }
    throw new IOException(source + " holds a key that is neither EC nor RSA");
  }

  /** Writes a file atomically; {@code secret} makes it readable by its owner only. */
  public static void write(Path file, String content, boolean secret) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = secret
        ? Files.createTempFile(dir, ".pem-", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
        : Files.createTempFile(dir, ".pem-", ".tmp");
    try {
      Files.writeString(tmp, content, StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
