package io.storefleet.fabric.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * A member's proof that it holds a cluster certificate: its chain and its signature, with that
 * certificate's key, over its own member id. Another member cannot reuse it under its own id,
 * and a process without a key from the cluster CA cannot make one.
 *
 * @param chain the member's certificate chain as PEM, leaf first
 * @param signature base64 of the signature over {@code storefleet member <cluster> <memberId>}
 */
public record MemberCertificate(String chain, String signature) {

  public static MemberCertificate sign(String cluster, String memberId, PrivateKey key, List<X509Certificate> chain) {
    try {
      Signature s = Signature.getInstance(PemFiles.signatureAlgorithm(key.getAlgorithm()));
      s.initSign(key);
      s.update(statement(cluster, memberId));
      return new MemberCertificate(Pem.certificates(chain), Base64.getEncoder().encodeToString(s.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign member " + memberId + "'s certificate statement", e);
    }
  }

  /** Null if it proves {@code memberId} holds a certificate valid now from one of {@code authorities}, else why not. */
  public String refusal(String cluster, String memberId, List<X509Certificate> authorities, Instant now) {
    try {
      X509Certificate leaf = Pem.parseCertificates(chain.getBytes(StandardCharsets.US_ASCII), "member " + memberId).get(0);
      if (now.isBefore(leaf.getNotBefore().toInstant()) || now.isAfter(leaf.getNotAfter().toInstant())) {
        return "its certificate " + leaf.getSubjectX500Principal() + " is not valid now: it runs from "
            + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant();
      }
      if (authorities.stream().noneMatch(ca -> PemFiles.signedBy(leaf, ca))) {
        return "its certificate " + leaf.getSubjectX500Principal() + " is not from the cluster CA";
      }
      Signature s = Signature.getInstance(PemFiles.signatureAlgorithm(leaf.getPublicKey().getAlgorithm()));
      s.initVerify(leaf.getPublicKey());
      s.update(statement(cluster, memberId));
      return s.verify(Base64.getDecoder().decode(signature)) ? null : "its signature does not match its certificate";
    } catch (java.io.IOException | GeneralSecurityException | IllegalArgumentException e) {
      return "its certificate entry is unreadable: " + e.getMessage();
    }
  }

  /** The member's own certificate, as an operator sees it; null if the entry is unreadable. */
  public CertificateFacts leafFacts() {
    try {
      return CertificateFacts.of(Pem.parseCertificates(chain.getBytes(StandardCharsets.US_ASCII), "entry").get(0));
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  private static byte[] statement(String cluster, String memberId) {
    return ("storefleet member " + cluster + " " + memberId).getBytes(StandardCharsets.UTF_8);
  }
}
