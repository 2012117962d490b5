package io.storefleet.fabric.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cluster CA's command line (deploy/cluster-ca.sh). A CA folder holds:
 *
 * <pre>
 *   ca.key, ca.crt       the CA that signs node certificates (ca.key never leaves this folder)
 *   next-ca.key/.crt     during a CA rotation: the CA that replaces it
 *   trust.crt            what every node trusts (cluster.tlsCa): ca.crt, plus next-ca.crt during a rotation
 *   nodes/NAME.key/.crt  node certificates (cluster.tlsKey, cluster.tlsCert)
 * </pre>
 *
 * Commands: {@code init DIR}, {@code issue DIR NAME HOST[,HOST...]}, {@code rotate-ca DIR},
 * {@code finish-ca-rotation DIR}, {@code show FILE}. Options: {@code --days N} (CA 3650, node 825).
 */
public final class ClusterCaTool {
  private final CertificateMaker maker = new CertificateMaker(Clock.systemUTC());

  public static void main(String[] args) {
    try {
      System.out.print(new ClusterCaTool().run(Arrays.asList(args)));
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("cluster-ca: " + e.getMessage());
      System.exit(e instanceof IOException ? 74 : 64);
    }
  }

  /** Runs one command; returns what it prints. */
  public String run(List<String> argv) throws IOException {
    List<String> args = new ArrayList<>(argv);
    int days = -1;
    int d = args.indexOf("--days");
    if (d >= 0) {
      if (d + 1 >= args.size() || !args.get(d + 1).matches("[1-9][0-9]{0,4}")) {
        throw new IllegalArgumentException("--days needs a whole number of days");
      }
      days = Integer.parseInt(args.remove(d + 1));
      args.remove(d);
    }
    String cmd = args.isEmpty() ? "" : args.get(0);
    switch (cmd) {
      case "init" -> {
        need(args, 2, "init DIR");
        return init(Path.of(args.get(1)), days < 0 ? 3650 : days);
      }
      case "issue" -> {
        need(args, 4, "issue DIR NAME HOST[,HOST...]");
        return issue(Path.of(args.get(1)), args.get(2), List.of(args.get(3).split(",")), days < 0 ? 825 : days);
      }
      case "rotate-ca" -> {
        need(args, 2, "rotate-ca DIR");
        return rotateCa(Path.of(args.get(1)), days < 0 ? 3650 : days);
      }
      case "finish-ca-rotation" -> {
        need(args, 2, "finish-ca-rotation DIR");
        return finishRotation(Path.of(args.get(1)));
      }
      case "show" -> {
        need(args, 2, "show FILE");
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : Pem.readCertificates(Path.of(args.get(1)))) {
          sb.append(describe(CertificateFacts.of(c))).append('\n');
        }
        return sb.toString();
      }
      default -> throw new IllegalArgumentException("usage: cluster-ca init DIR | issue DIR NAME HOST[,HOST...]"
          + " | rotate-ca DIR | finish-ca-rotation DIR | show FILE   [--days N]");
    }
  }

  private static void need(List<String> args, int n, String usage) {
    if (args.size() != n) {
      throw new IllegalArgumentException("usage: cluster-ca " + usage + " [--days N]");
    }
  }

  private String init(Path dir, int days) throws IOException {
    if (Files.exists(dir.resolve("ca.key"))) {
      throw new IllegalArgumentException(dir.resolve("ca.key") + " exists already; a CA is made once (rotate it with"
          + " rotate-ca)");
    }
    IssuedCertificate ca = maker.authority(caName(), Duration.ofDays(days));
    ca.writeTo(dir.resolve("ca.key"), dir.resolve("ca.crt"));
    Pem.write(dir.resolve("trust.crt"), Pem.certificates(ca.chain()), false);
    return "CA made: " + describe(CertificateFacts.of(ca.leaf())) + "\n";
  }

  private String issue(Path dir, String name, List<String> hosts, int days) throws IOException {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("node name '" + name + "' must be letters, digits, '.', '_' or '-'");
    }
    // During a rotation new certificates come from the next CA, which every node trusts by then.
    String prefix = Files.exists(dir.resolve("next-ca.key")) ? "next-ca" : "ca";
    IssuedCertificate ca = load(dir, prefix);
    IssuedCertificate node = maker.issue(ca, name, hosts, Duration.ofDays(days));
    node.writeTo(dir.resolve("nodes").resolve(name + ".key"), dir.resolve("nodes").resolve(name + ".crt"));
    return "issued by " + prefix + ".crt: " + describe(CertificateFacts.of(node.leaf())) + "\n";
  }

  private String rotateCa(Path dir, int days) throws IOException {
    if (Files.exists(dir.resolve("next-ca.key"))) {
      throw new IllegalArgumentException("a CA rotation is under way already (" + dir.resolve("next-ca.crt")
          + "); finish it with finish-ca-rotation");
    }
    IssuedCertificate current = load(dir, "ca");
    IssuedCertificate next = maker.authority(caName(), Duration.ofDays(days));
    next.writeTo(dir.resolve("next-ca.key"), dir.resolve("next-ca.crt"));
    List<X509Certificate> both = List.of(current.leaf(), next.leaf());
    Pem.write(dir.resolve("trust.crt"), Pem.certificates(both), false);
    return "next CA made: " + describe(CertificateFacts.of(next.leaf())) + "\n"
        + "trust.crt now holds both CAs: copy it to every node, then issue and copy every node's new certificate,"
        + " then run finish-ca-rotation\n";
  }

  private String finishRotation(Path dir) throws IOException {
    if (!Files.exists(dir.resolve("next-ca.key"))) {
      throw new IllegalArgumentException("no CA rotation is under way in " + dir + " (start one with rotate-ca)");
    }
    IssuedCertificate next = load(dir, "next-ca");
    next.writeTo(dir.resolve("ca.key"), dir.resolve("ca.crt"));
    Pem.write(dir.resolve("trust.crt"), Pem.certificates(next.chain()), false);
    Files.delete(dir.resolve("next-ca.key"));
    Files.delete(dir.resolve("next-ca.crt"));
    return "ca.crt is now " + describe(CertificateFacts.of(next.leaf()))
        + "\ntrust.crt holds it alone: copy it to every node\n";
  }

  private static IssuedCertificate load(Path dir, String prefix) throws IOException {
    Path key = dir.resolve(prefix + ".key");
    Path crt = dir.resolve(prefix + ".crt");
    if (!Files.exists(key) || !Files.exists(crt)) {
      throw new IllegalArgumentException(dir + " holds no " + prefix + ".key and " + prefix + ".crt; make the CA"
          + " with 'cluster-ca init " + dir + "'");
    }
    PrivateKey k = Pem.parsePrivateKey(Files.readAllBytes(key), key.toString());
    return new IssuedCertificate(k, Pem.readCertificates(crt));
  }

  /** Dated, and unique so that the CAs before and after a rotation are told apart by name too. */
  private static String caName() {
    return "storefleet cluster CA " + java.time.LocalDate.now() + " "
        + java.util.HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(4).putInt(new java.security.SecureRandom().nextInt()).array());
  }

  static String describe(CertificateFacts f) {
    return f.subject() + ", issued by " + f.issuer() + ", valid until " + f.notAfter() + ", sha256 " + f.sha256();
  }
}
