package io.storefleet.fabric.config;

import io.storefleet.fabric.node.ClusterSettings;
import io.storefleet.fabric.tls.Loopback;
import io.storefleet.fabric.tls.PemFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Process settings from a properties file ({@code --config FILE}) overridden by command-line
 * flags: {@code --cluster-name x} sets {@code cluster.name}, {@code --server-id mbox1} sets
 * {@code server.id}, and so on (a flag's dashes become dots of its key, with one exception:
 * its first word is the section). Unknown keys are an error, so a typo is never silently
 * ignored.
 */
public final class Settings {
  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Reads {@code args}; {@code known} lists every accepted key.
   *
   * @throws IllegalArgumentException naming the bad flag or key and the accepted ones
   */
  public static Settings parse(String[] args, List<String> known) throws IOException {
    Map<String, String> v = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected '--flag value' at '" + a + "'; accepted flags: " + flags(known));
      }
      String key = a.substring(2);
      String value = args[++i];
      if (key.equals("config")) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(value))) {
          p.load(r);
        }
        for (String k : p.stringPropertyNames()) {
          v.putIfAbsent(check(k, known), p.getProperty(k).trim());
        }
      } else {
        v.put(check(flagKey(key), known), value);
      }
    }
    return new Settings(v);
  }

  private static String flagKey(String flag) {
    int dash = flag.indexOf('-');
    if (dash < 0) {
      return flag;
    }
    return flag.substring(0, dash) + "." + camel(flag.substring(dash + 1));
  }

  private static String camel(String s) {
    StringBuilder sb = new StringBuilder();
    boolean up = false;
    for (char c : s.toCharArray()) {
      if (c == '-') {
        up = true;
      } else {
        sb.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return sb.toString();
  }

  private static String check(String key, List<String> known) {
    if (!known.contains(key)) {
      throw new IllegalArgumentException("unknown setting '" + key + "'; accepted: " + String.join(", ", known)
          + " (as flags: " + flags(known) + ")");
    }
    return key;
  }

  private static String flags(List<String> known) {
    return String.join(", ", known.stream().map(k -> "--" + k.replace('.', '-').replaceAll("([A-Z])", "-$1").toLowerCase()).toList()) + ", --config FILE";
  }

  public String get(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  /** A setting that must be given. */
  public String required(String key) {
    String v = values.get(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("setting " + key + " is required (flag --" + key.replace('.', '-')
          .replaceAll("([A-Z])", "-$1").toLowerCase() + ")");
    }
    return v;
  }

  public int getInt(String key, int fallback) {
    String v = values.get(key);
    try {
      return v == null ? fallback : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("setting " + key + " must be a whole number, got '" + v + "'");
    }
  }

  public List<String> getList(String key, String fallback) {
    String v = get(key, fallback);
    if (v == null || v.isBlank()) {
      return List.of();
    }
    return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** The keys every cluster member accepts. */
  public static final List<String> CLUSTER_KEYS = List.of("cluster.name", "cluster.host", "cluster.port",
      "cluster.members", "cluster.tlsCert", "cluster.tlsKey", "cluster.tlsCa", "cluster.allowPlain");

  /**
   * The cluster settings, loopback by default. The event bus uses mutual TLS when
   * {@code cluster.tlsCert}, {@code cluster.tlsKey} and {@code cluster.tlsCa} are given; without
   * them it is plain, which is refused on an address other than loopback unless
   * {@code cluster.allowPlain=true}.
   */
  public ClusterSettings cluster() {
    String host = get("cluster.host", "127.0.0.1");
    boolean allowPlain = getBoolean("cluster.allowPlain");
    ClusterSettings plain = new ClusterSettings(
        get("cluster.name", "storefleet"),
        host,
        getInt("cluster.port", 5701),
        getList("cluster.members", "127.0.0.1"),
        1);
    List<String> tlsKeys = List.of("cluster.tlsCert", "cluster.tlsKey", "cluster.tlsCa");
    List<String> given = tlsKeys.stream().filter(values::containsKey).toList();
    if (!given.isEmpty() && given.size() < tlsKeys.size()) {
      throw new IllegalArgumentException("event-bus TLS needs all of " + String.join(", ", tlsKeys) + "; only "
          + String.join(", ", given) + " given (deploy/cluster-ca.sh makes the files)");
    }
    if (!given.isEmpty()) {
      return plain.withTls(new PemFiles(Path.of(required("cluster.tlsCert")), Path.of(required("cluster.tlsKey")),
          Path.of(required("cluster.tlsCa"))));
    }
    if (!Loopback.is(host) && !allowPlain) {
      throw new IllegalArgumentException("cluster.host " + host + " is not a loopback address, and a plain event bus"
          + " there lets any process that reaches it send commands: give cluster.tlsCert, cluster.tlsKey and"
          + " cluster.tlsCa (deploy/cluster-ca.sh), or set cluster.allowPlain=true on a network only cluster"
          + " members reach (docs/security.md)");
    }
    return plain;
  }

  /** A true/false setting, false when absent. */
  public boolean getBoolean(String key) {
    String v = values.get(key);
    if (v == null) {
      return false;
    }
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new IllegalArgumentException("setting " + key + " must be true or false, got '" + v + "'");
  }
}
