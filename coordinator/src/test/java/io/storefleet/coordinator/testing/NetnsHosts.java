package io.storefleet.coordinator.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Separate hosts on one machine: one network namespace per host, each with its own address on
 * a private bridge that lives in a namespace of its own, so no traffic touches the machine's
 * interfaces or loopback. {@link #cut} takes a host's link down, as a pulled cable would;
 * {@link #heal} brings it back. Needs root and the {@code ip} tool; {@link #unavailable()}
 * says why not when they are missing. {@link #close()} deletes every namespace it made, which
 * takes their links with them; so does a shutdown hook when the JVM ends first (an interrupted
 * run), so that no namespace outlives the test.
 */
public final class NetnsHosts implements AutoCloseable {
  private static final String SUBNET = "10.77.0.";

  private final String tag = "sf" + UUID.randomUUID().toString().substring(0, 6);
  private final String hub = tag + "-hub";
  private final Map<String, Integer> hosts = new LinkedHashMap<>();
  private final List<String> namespaces = new ArrayList<>();
  private final Thread onExit = new Thread(this::deleteNamespaces, "delete-test-namespaces");

  private NetnsHosts() {}

  /** Why namespaces cannot be made here, or empty when they can. */
  public static Optional<String> unavailable() {
    String probe = "sfprobe" + UUID.randomUUID().toString().substring(0, 6);
    try {
      if (run(List.of("ip", "netns", "add", probe)) != 0) {
        return Optional.of("'ip netns add' is refused (not root, or no permission to create namespaces)");
      }
      run(List.of("ip", "netns", "del", probe));
      return Optional.empty();
    } catch (Exception e) {
      return Optional.of("the 'ip' tool cannot be run: " + e.getMessage());
    }
  }

  /** Makes one namespace per host name, addressed 10.77.0.1, .2, … in that order. */
  public static NetnsHosts create(List<String> names) throws Exception {
    NetnsHosts n = new NetnsHosts();
    Runtime.getRuntime().addShutdownHook(n.onExit);
    try {
      n.addNamespace(n.hub);
      n.ip(n.hub, "link", "add", "br0", "type", "bridge");
      n.ip(n.hub, "link", "set", "br0", "up");
      for (String name : names) {
        n.addHost(name, n.hosts.size() + 1);
      }
    } catch (Exception e) {
      n.close();
      throw e;
    }
    return n;
  }

  private void addHost(String name, int number) throws Exception {
    String ns = namespace(name);
    addNamespace(ns);
    String inside = tag + "h" + number;
    String outside = tag + "p" + number;
    must(List.of("ip", "link", "add", inside, "type", "veth", "peer", "name", outside));
    must(List.of("ip", "link", "set", inside, "netns", ns));
    must(List.of("ip", "link", "set", outside, "netns", hub));
    ip(hub, "link", "set", outside, "master", "br0");
    ip(hub, "link", "set", outside, "up");
    ip(ns, "link", "set", "lo", "up");
    ip(ns, "addr", "add", SUBNET + number + "/24", "dev", inside);
    ip(ns, "link", "set", inside, "up");
    hosts.put(name, number);
  }

  /** The host's address on the private network. */
  public String address(String name) {
    return SUBNET + number(name);
  }

  /** Every host's address, for a TCP join member list. */
  public List<String> addresses() {
    return hosts.keySet().stream().map(this::address).toList();
  }

  /** The command prefix that runs a program on the host. */
  public List<String> prefix(String name) {
    return List.of("ip", "netns", "exec", namespace(name));
  }

  /** Takes the host's link to the bridge down: it can reach no other host, nor they it. */
  public void cut(String name) throws Exception {
    ip(hub, "link", "set", tag + "p" + number(name), "down");
  }

  /** Brings the host's link back up. */
  public void heal(String name) throws Exception {
    ip(hub, "link", "set", tag + "p" + number(name), "up");
  }

  private int number(String name) {
    Integer n = hosts.get(name);
    if (n == null) {
      throw new IllegalArgumentException("no host " + name + "; hosts: " + hosts.keySet());
    }
    return n;
  }

  private String namespace(String name) {
    return tag + "-" + name;
  }

  private synchronized void addNamespace(String ns) throws Exception {
    must(List.of("ip", "netns", "add", ns));
    namespaces.add(ns);
  }

  private void ip(String ns, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
    cmd.addAll(List.of(args));
    must(cmd);
  }

  private static void must(List<String> cmd) throws Exception {
    if (run(cmd) != 0) {
      throw new IllegalStateException("failed: " + String.join(" ", cmd));
    }
  }

  private static int run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + String.join(" ", cmd));
    }
    if (p.exitValue() != 0 && !out.isBlank()) {
      System.err.println(String.join(" ", cmd) + ": " + out.trim());
    }
    return p.exitValue();
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(onExit);
    } catch (IllegalStateException e) {
      // The JVM is ending: the hook deletes them.
      return;
    }
    deleteNamespaces();
  }

  private synchronized void deleteNamespaces() {
    for (String ns : namespaces) {
      try {
        run(List.of("ip", "netns", "del", ns));
      } catch (Exception e) {
        System.err.println("namespace " + ns + " not deleted: " + e);
      }
    }
    namespaces.clear();
  }
}
