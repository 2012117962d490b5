package io.storefleet.worker.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where an imap SmartScan's time goes, under Java Flight Recorder: every {@code FileChannel.force}
 * by the storefleet method that asked for it, and every thread's samples (Java and native, so
 * waits on Dovecot's answers count too; the scan's pool threads apart) by what they were doing and in which store step. Used by
 * {@link ImapBenchmark} for the incremental scan, whose cost is fixed per changed account.
 */
final class ImapScanProfile {
  private ImapScanProfile() {}

  /**
   * Starts and stops a recording once, early in the run: the first recording of a JVM loads and
   * starts Flight Recorder itself (hundreds of ms of CPU on its own threads), which would
   * otherwise land in the measured scan.
   */
  static void warmUp() {
    try (Recording r = new Recording()) {
      r.enable("jdk.FileForce").withThreshold(Duration.ZERO).withStackTrace();
      r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
      r.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
      r.start();
      r.stop();
    }
  }

  /** Runs {@code scan} recorded; its figures plus the profile under {@code prefix}. */
  static Map<String, String> record(Path jfr, String prefix, Callable<Map<String, String>> scan) throws Exception {
    Map<String, String> result;
    try (Recording r = new Recording()) {
      r.enable("jdk.FileForce").withThreshold(Duration.ZERO).withStackTrace();
      r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
      r.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
      r.start();
      result = new LinkedHashMap<>(scan.call());
      r.stop();
      r.dump(jfr);
    }
    long forces = 0;
    double forceMs = 0;
    Map<String, Double> forceBy = new TreeMap<>();
    Map<String, Long> forceCallsBy = new TreeMap<>();
    Map<String, Long> samples = new TreeMap<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      switch (e.getEventType().getName()) {
        case "jdk.FileForce" -> {
          forces++;
          double d = e.getDuration().toNanos() / 1e6;
          forceMs += d;
          forceBy.merge(step(e.getStackTrace()), d, Double::sum);
          forceCallsBy.merge(step(e.getStackTrace()), 1L, Long::sum);
        }
        case "jdk.ExecutionSample", "jdk.NativeMethodSample" -> {
          RecordedThread th = e.getThread("sampledThread");
          String name = th == null || th.getJavaName() == null ? "?" : th.getJavaName();
          // The scan's pool threads do the accounts; the operation's own thread the rest (sweep, listing, commits).
          String where = name.startsWith("storefleet-scan") ? "scan thread" : "thread " + name.replaceAll("[0-9]+", "#");
          // A native sample is a thread in native code: a wait in epoll or a socket read as well as work.
          String how = e.getEventType().getName().equals("jdk.NativeMethodSample") ? "native " : "java ";
          samples.merge(where + ": " + how + kind(e.getStackTrace()) + " in " + step(e.getStackTrace()), 1L,
              Long::sum);
        }
        default -> { }
      }
    }
    result.put(prefix + "forceCalls", Long.toString(forces));
    result.put(prefix + "forceMs", String.format(Locale.ROOT, "%.1f", forceMs));
    forceBy.forEach((k, v) -> result.put(prefix + "forceMsBy." + k, String.format(Locale.ROOT, "%.1f", v)));
    forceCallsBy.forEach((k, v) -> result.put(prefix + "forceCallsBy." + k, Long.toString(v)));
    result.put(prefix + "samples", Long.toString(samples.values().stream().mapToLong(Long::longValue).sum()));
    samples.forEach((k, v) -> result.put(prefix + "samples." + k, Long.toString(v)));
    return result;
  }

  /** Waiting for Dovecot, forcing to disk, JSON, or other CPU work. */
  private static String kind(RecordedStackTrace st) {
    if (st == null) {
      return "unknown";
    }
    for (RecordedFrame f : st.getFrames()) {
      String c = f.getMethod().getType().getName();
      String m = f.getMethod().getName();
      if (m.equals("force") || m.equals("force0") || m.equals("syncDirectory")) {
        return "fsync";
      }
      if (c.startsWith("org.eclipse.angus.mail")) {
        return "imap";
      }
      if (c.startsWith("com.fasterxml.jackson")) {
        return "json";
      }
    }
    return "cpu";
  }

  /** The innermost storefleet step: a store class's method, else the scan's. */
  private static String step(RecordedStackTrace st) {
    if (st == null) {
      return "unknown";
    }
    List<RecordedFrame> frames = st.getFrames();
    for (RecordedFrame f : frames) {
      String c = f.getMethod().getType().getName();
      if (c.startsWith("io.storefleet.worker.store.imap.") && !c.endsWith("ImapSession")
          && !c.endsWith("XGuidProtocol") && !c.endsWith("ImapConnections")) {
        return c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
      }
    }
    for (RecordedFrame f : frames) {
      String c = f.getMethod().getType().getName();
      if (c.startsWith("io.storefleet.") && !c.endsWith("AppendLog") && !c.contains(".bench.")) {
        return c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
      }
    }
    return "other";
  }
}
