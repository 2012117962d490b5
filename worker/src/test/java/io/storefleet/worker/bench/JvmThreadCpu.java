package io.storefleet.worker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * This JVM's CPU by thread name (from /proc, so the JIT compilers and the garbage collector
 * count too): where a step's CPU went when it had both cores busy. Threads that ended during the
 * step are counted together, as the process's CPU less that of the threads still there.
 */
final class JvmThreadCpu {
  private JvmThreadCpu() {}

  /** Every thread's name and CPU ticks, by thread id; the whole process's under -1. */
  static Map<Long, Object[]> now() throws IOException {
    Map<Long, Object[]> out = new HashMap<>();
    out.put(-1L, new Object[] {"process", ticks(Files.readString(Path.of("/proc/self/stat")))});
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          out.put(Long.parseLong(t.getFileName().toString()), new Object[] {name, ticks(stat)});
        } catch (IOException | RuntimeException gone) {
          // the thread ended while it was read
        }
      }
    }
    return out;
  }

  /** CPU seconds used since {@code before}, by thread name with its numbers dropped; ended threads apart. */
  static Map<String, String> since(Map<Long, Object[]> before, String prefix) throws IOException {
    Map<Long, Object[]> after = now();
    long total = (long) after.get(-1L)[1] - (long) before.get(-1L)[1];
    Map<String, Long> by = new TreeMap<>();
    long alive = 0;
    for (Map.Entry<Long, Object[]> e : after.entrySet()) {
      if (e.getKey() < 0) {
        continue;
      }
      Object[] was = before.get(e.getKey());
      long used = (long) e.getValue()[1] - (was == null ? 0 : (long) was[1]);
      alive += used;
      if (used > 0) {
        by.merge(((String) e.getValue()[0]).replaceAll("[0-9]+", "#").replace(' ', '_'), used, Long::sum);
      }
    }
    by.put("(ended threads)", Math.max(0, total - alive));
    Map<String, String> out = new TreeMap<>();
    by.forEach((k, v) -> out.put(prefix + k, String.format(Locale.ROOT, "%.2f", v / 100.0)));
    return out;
  }

  /** utime + stime of a /proc stat line. */
  private static long ticks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }
}
