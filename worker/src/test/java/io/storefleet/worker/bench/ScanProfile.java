package io.storefleet.worker.bench;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import io.storefleet.worker.backup.format.BlobCodec;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.backup.format.ItemStateLine;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailboxSnapshot;
import io.storefleet.worker.store.local.LocalMailStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a full SmartScan's time goes. Two views, both on the benchmark's own data:
 *
 * <ol>
 *   <li>stage by stage, single-threaded, outside the engine: reading every item from the store,
 *       SHA-256 of every item, zstd level 3 of every distinct content (without and with a dictionary
 *       trained as a first scan trains it), the items.log line of every item state,
 *       and what one small write plus {@code force()} costs on this disk;
 *   <li>a real full SmartScan (the engine's own code and threads) into a fresh backup path under
 *       Java Flight Recorder: every {@code FileChannel.force} with its duration, and the scan
 *       threads' samples (Java and native) grouped by what they were doing.
 * </ol>
 */
final class ScanProfile {
  private ScanProfile() {}

  static Map<String, String> run(Path dir) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    stages(dir, out);
    Path backup = dir.resolve("profile-backup");
    recordedScan(dir, backup, "full", out);
    BackupBenchmark.change(dir, 0.01, Long.getLong("bench.seed", 42L));
    recordedScan(dir, backup, "incr", out);
    return out;
  }

  private static void stages(Path dir, Map<String, String> out) throws IOException {
    // The first pass warms the JIT and the page cache; the second is reported.
    stagesOnce(dir, new LinkedHashMap<>());
    stagesOnce(dir, out);
  }

  private static void stagesOnce(Path dir, Map<String, String> out) throws IOException {
    try (LocalMailStore store = LocalMailStore.open(dir.resolve("store"), Clock.systemUTC())) {
      long t = System.nanoTime();
      List<MailboxSnapshot> snaps = new ArrayList<>();
      for (Account a : store.accounts()) {
        snaps.add(store.snapshot(a.id()));
      }
      out.put("stage.snapshotsMs", BackupBenchmark.ms(System.nanoTime() - t));
      t = System.nanoTime();
      List<byte[]> contents = new ArrayList<>();
      long bytes = 0;
      for (MailboxSnapshot s : snaps) {
        for (Item i : s.items()) {
          byte[] raw = store.content(s.account().id(), i.id());
          contents.add(raw);
          bytes += raw.length;
        }
      }
      out.put("stage.readMs", BackupBenchmark.ms(System.nanoTime() - t));
      out.put("stage.readItems", Integer.toString(contents.size()));
      out.put("stage.readBytes", Long.toString(bytes));
      t = System.nanoTime();
      List<String> digests = new ArrayList<>();
      for (byte[] c : contents) {
        digests.add(BlobCodec.sha256(c));
      }
      out.put("stage.sha256Ms", BackupBenchmark.ms(System.nanoTime() - t));
      Set<String> seen = new HashSet<>();
      List<byte[]> unique = new ArrayList<>();
      for (int k = 0; k < contents.size(); k++) {
        if (seen.add(digests.get(k))) {
          unique.add(contents.get(k));
        }
      }
      long z = 0;
      long ubytes = 0;
      try (ZstdCompressCtx plain = new ZstdCompressCtx().setLevel(3)) {
        t = System.nanoTime();
        for (byte[] c : unique) {
          z += plain.compress(c).length;
          ubytes += c.length;
        }
        out.put("stage.zstd3Ms", BackupBenchmark.ms(System.nanoTime() - t));
      }
      out.put("stage.zstd3Contents", Integer.toString(unique.size()));
      out.put("stage.zstd3RawBytes", Long.toString(ubytes));
      out.put("stage.zstd3StoredBytes", Long.toString(z));
      // As a first scan trains it: every n-th distinct content cut to 4 KiB, about 1 MB in all.
      long sampleable = 0;
      for (byte[] c : unique) {
        sampleable += Math.min(c.length, 4096);
      }
      int step = (int) Math.max(1, sampleable / (1L << 20));
      List<byte[]> samples = new ArrayList<>();
      long sampleBytes = 0;
      for (int k = 0; k < unique.size(); k += step) {
        byte[] c = unique.get(k);
        samples.add(c.length > 4096 ? java.util.Arrays.copyOf(c, 4096) : c);
        sampleBytes += Math.min(c.length, 4096);
      }
      t = System.nanoTime();
      byte[] dict = new byte[(int) Math.max(16 << 10, Math.min(112 << 10, sampleBytes / 10))];
      long dictSize = Zstd.trainFromBuffer(samples.toArray(new byte[0][]), dict, false, 3);
      out.put("stage.dictTrainMs", BackupBenchmark.ms(System.nanoTime() - t));
      out.put("stage.dictBytes", Long.toString(dictSize));
      try (ZstdCompressCtx ctx = new ZstdCompressCtx()
          .loadDict(new ZstdDictCompress(java.util.Arrays.copyOf(dict, (int) dictSize), 3))) {
        t = System.nanoTime();
        long zd = 0;
        for (byte[] c : unique) {
          zd += ctx.compress(c).length;
        }
        out.put("stage.zstd3DictMs", BackupBenchmark.ms(System.nanoTime() - t));
        out.put("stage.zstd3DictStoredBytes", Long.toString(zd));
      }
      t = System.nanoTime();
      long lines = 0;
      Instant now = Instant.now();
      for (MailboxSnapshot s : snaps) {
        for (Item i : s.items()) {
          lines += ItemStateLine.encode(new ItemState(i.id(), s.seq(), now, i.folderId(), i.type(), i.digest(),
              i.size(), i.flags(), i.tags(), false, false, i.subject(), i.from(), i.to())).length();
        }
      }
      out.put("stage.linesMs", BackupBenchmark.ms(System.nanoTime() - t));
      out.put("stage.linesChars", Long.toString(lines));
    }
    // What a commit's unit of durability costs here: a small append and force(false).
    Path probe = Files.createTempFile(dir, "fsync-probe", ".bin");
    try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      int n = 200;
      long t = System.nanoTime();
      for (int k = 0; k < n; k++) {
        ch.write(ByteBuffer.wrap(new byte[512]));
        ch.force(false);
      }
      out.put("stage.fsyncMsEach", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t) / 1e6 / n));
    } finally {
      Files.deleteIfExists(probe);
    }
  }

  private static void recordedScan(Path dir, Path backup, String phase, Map<String, String> out) throws Exception {
    Path jfr = dir.resolve("profile-" + phase + ".jfr");
    Map<String, String> scan;
    try (Recording r = new Recording()) {
      r.enable("jdk.FileForce").withThreshold(Duration.ZERO).withStackTrace();
      r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
      r.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
      r.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ofMillis(1));
            r.start();
      scan = BackupBenchmark.scan(dir, backup);
      r.stop();
      r.dump(jfr);
    }
    String px = phase + ".";
    out.put(px + "scanMs", scan.get("scanMs"));
    out.put(px + "accountsScanned", scan.get("accountsScanned"));
    out.put(px + "itemsRecorded", Long.toString(Long.parseLong(scan.getOrDefault("itemsNew", "0"))
        + Long.parseLong(scan.getOrDefault("itemsChanged", "0"))));
    long forces = 0;
    double forceMs = 0;
    Map<String, Double> forceBy = new TreeMap<>();
    Map<String, Long> samples = new TreeMap<>();
    Map<String, Long> blockedBy = new TreeMap<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      String type = e.getEventType().getName();
      RecordedThread th = thread(e);
      // The scan's work runs on its pool threads; the queue thread only waits for them.
      boolean scanThread = th != null && th.getJavaName() != null && th.getJavaName().startsWith("storefleet-scan");
      switch (type) {
        case "jdk.FileForce" -> {
          forces++;
          double d = e.getDuration().toNanos() / 1e6;
          forceMs += d;
          forceBy.merge(forceCaller(e.getStackTrace()), d, Double::sum);
        }
        case "jdk.ExecutionSample", "jdk.NativeMethodSample" -> {
          if (scanThread) {
            samples.merge(category(e.getStackTrace()), 1L, Long::sum);
          }
        }
        case "jdk.JavaMonitorEnter" -> {
          if (scanThread) {
            String c = e.getClass("monitorClass").getName();
            blockedBy.merge(c.substring(c.lastIndexOf('.') + 1), e.getDuration().toMillis(), Long::sum);
          }
        }
        default -> { }
      }
    }
    out.put(px + "forceCalls", Long.toString(forces));
    out.put(px + "forceMs", String.format(Locale.ROOT, "%.1f", forceMs));
    forceBy.forEach((k, v) -> out.put(px + "forceMsBy." + k, String.format(Locale.ROOT, "%.1f", v)));
    long total = samples.values().stream().mapToLong(Long::longValue).sum();
    out.put(px + "samples", Long.toString(total));
    samples.forEach((k, v) -> out.put(px + "samples." + k, Long.toString(v)));
    blockedBy.forEach((k, v) -> out.put(px + "monitorBlockedMsOn." + k, Long.toString(v)));
  }

  private static RecordedThread thread(RecordedEvent e) {
    if (e.hasField("sampledThread")) {
      return e.getThread("sampledThread");
    }
    return e.getThread();
  }

  /** The storefleet method that asked for a force: which commit step it belongs to. */
  private static String forceCaller(RecordedStackTrace st) {
    if (st == null) {
      return "unknown";
    }
    for (RecordedFrame f : st.getFrames()) {
      String c = f.getMethod().getType().getName();
      if (c.startsWith("io.storefleet.") && !c.endsWith("AppendLog")) {
        return c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
      }
    }
    for (RecordedFrame f : st.getFrames()) {
      String c = f.getMethod().getType().getName();
      if (c.startsWith("io.storefleet.")) {
        return c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
      }
    }
    return "other";
  }

  /** What a sampled scan thread was doing, judged from the innermost frame that says. */
  static String category(RecordedStackTrace st) {
    if (st == null) {
      return "unknown";
    }
    List<RecordedFrame> frames = st.getFrames();
    for (RecordedFrame f : frames) {
      String c = f.getMethod().getType().getName();
      String m = f.getMethod().getName();
      if (c.startsWith("com.github.luben.zstd")) {
        return "zstd";
      }
      if (c.startsWith("sun.security.provider") || c.equals("java.security.MessageDigest")) {
        return "sha256";
      }
      if (c.equals("java.util.zip.CRC32C")) {
        return "crc32c (log framing)";
      }
      if (c.startsWith("com.fasterxml.jackson")) {
        return "json";
      }
      if (m.equals("force") || m.equals("force0") || m.equals("syncDirectory")) {
        return "fsync";
      }
      if (c.startsWith("sun.nio.ch") && (m.startsWith("read") || m.startsWith("pread"))) {
        return "file read: " + storefleetFrame(frames);
      }
      if (c.startsWith("sun.nio.ch") && (m.startsWith("write") || m.startsWith("pwrite"))) {
        return "file write: " + storefleetFrame(frames);
      }
      if (c.startsWith("java.util.HexFormat")) {
        return "hex";
      }
      if (c.startsWith("io.storefleet.")) {
        return "storefleet code: " + c.substring(c.lastIndexOf('.') + 1);
      }
    }
    return "other";
  }

  private static String storefleetFrame(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String c = f.getMethod().getType().getName();
      if (c.startsWith("io.storefleet.")) {
        return c.substring(c.lastIndexOf('.') + 1);
      }
    }
    return "other";
  }
}
