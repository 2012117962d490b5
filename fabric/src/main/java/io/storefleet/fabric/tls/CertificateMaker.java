package io.storefleet.fabric.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the certificates storefleet uses: a cluster CA, node certificates it signs (usable as
 * both TLS server and client, so one serves a node's event-bus server and its connections), and
 * the coordinator's self-signed HTTP certificate. Keys are EC P-256, signatures SHA-256 with ECDSA.
 */
public final class CertificateMaker {
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public CertificateMaker(Clock clock) {
    this.clock = clock;
  }

  /** A CA that signs node certificates and nothing above them (path length 0). */
  public IssuedCertificate authority(String commonName, Duration validity) {
    KeyPair kp = keyPair();
    X500Name name = name(commonName);
    try {
      X509v3CertificateBuilder b = builder(name, name, kp.getPublic(), validity);
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      return new IssuedCertificate(kp.getPrivate(), List.of(sign(b, kp)));
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot make the CA certificate " + commonName, e);
    }
  }

  /** A node certificate signed by {@code ca}, for the given host names and addresses. */
  public IssuedCertificate issue(IssuedCertificate ca, String commonName, List<String> hosts, Duration validity) {
    KeyPair kp = keyPair();
    X509Certificate caCert = ca.leaf();
    try {
      X509v3CertificateBuilder b = builder(X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()),
          name(commonName), kp.getPublic(), validity);
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      leafExtensions(b, hosts);
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
          b.build(signer(ca.key())));
      return new IssuedCertificate(kp.getPrivate(), List.of(cert, caCert));
    } catch (GeneralSecurityException | java.io.IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue the certificate " + commonName, e);
    }
  }

  /** A self-signed server certificate for the given host names and addresses. */
  public IssuedCertificate selfSigned(String commonName, List<String> hosts, Duration validity) {
    KeyPair kp = keyPair();
    X500Name name = name(commonName);
    try {
      X509v3CertificateBuilder b = builder(name, name, kp.getPublic(), validity);
      leafExtensions(b, hosts);
      return new IssuedCertificate(kp.getPrivate(), List.of(sign(b, kp)));
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot make a self-signed certificate for " + commonName, e);
    }
  }

  private static void leafExtensions(X509v3CertificateBuilder b, List<String> hosts) throws java.io.IOException {
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
    b.addExtension(Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    List<GeneralName> names = new ArrayList<>();
    for (String h : hosts) {
      names.add(isAddress(h) ? new GeneralName(GeneralName.iPAddress, h) : new GeneralName(GeneralName.dNSName, h));
    }
    if (!names.isEmpty()) {
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
    }
  }

  private static boolean isAddress(String h) {
    return h.matches("[0-9.]+") || h.contains(":");
  }

  private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Duration validity) {
    // A minute back, so that a peer whose clock is slightly behind does not see a future certificate.
    Instant now = clock.instant().minus(Duration.ofMinutes(1));
    return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, random).add(BigInteger.ONE),
        Date.from(now), Date.from(now.plus(validity)), subject, key);
  }

  private X509Certificate sign(X509v3CertificateBuilder b, KeyPair kp) throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(b.build(signer(kp.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static ContentSigner signer(java.security.PrivateKey key) throws OperatorCreationException {
    return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
  }

  private KeyPair keyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
    }
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "storefleet").addRDN(BCStyle.CN, commonName).build();
  }
}
