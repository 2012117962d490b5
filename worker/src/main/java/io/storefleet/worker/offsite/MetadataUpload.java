package io.storefleet.worker.offsite;

import io.storefleet.worker.backup.format.BlobCodec;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata of one upload (format version 2): pack indexes and metadata files go into a few
 * metadata packs, and the snapshot names each file as the ranges of those packs that make it up.
 * A file that only grew since the base snapshot (the copy's newest when the upload started) is
 * sent as its new tail; see {@link #addFile} for the rule (docs/backup-format.md, "Metadata packs
 * and deltas").
 */
final class MetadataUpload {
  /** Parts a file may have; a file with more is sent whole again, so a fetch reads few ranges per file. */
  static final int MAX_PARTS = 16;
  /** Pack indexes held back before they are sent in a metadata pack: resume points of a long first upload. */
  static final int INDEXES_PER_FLUSH = 64;

  /** Sends one sealed object (the upload's put: bandwidth, listing, If-None-Match); false when it was there. */
  @FunctionalInterface
  interface Sender {
    boolean send(String key, byte[] plain) throws IOException, InterruptedException;
  }

  /** A range of a metadata pack: one already in the bucket ({@code object}), or one of a pack being built. */
  private record Part(MetadataPack.Builder batch, String object, long offset, int length) {}

  private record Entry(String path, String sha256, long length, List<Part> parts) {}

  private final RemoteRepository repo;
  private final RemoteState state;
  private final Sender sender;
  private final long target;
  private final Map<String, Manifest.File> base = new LinkedHashMap<>();
  private final List<String> baseObjects;
  private final List<Entry> files = new ArrayList<>();
  private final Map<MetadataPack.Builder, String> sent = new java.util.IdentityHashMap<>();
  private final List<PackIndex> heldIndexes = new ArrayList<>();
  private final List<Long> heldOffsets = new ArrayList<>();
  private final List<Integer> heldLengths = new ArrayList<>();
  private MetadataPack.Builder batch = new MetadataPack.Builder();
  private long packsSent;
  private long filesSent;
  private long deltas;
  private long newBytes;

  /** {@code base} is the copy's newest snapshot when the upload started, or null. */
  MetadataUpload(RemoteRepository repo, RemoteState state, Manifest base, Sender sender, long target) {
    this.repo = repo;
    this.state = state;
    this.sender = sender;
    this.target = target;
    if (base != null) {
      base.files().forEach(f -> this.base.put(f.path(), f));
      this.baseObjects = base.objects();
    } else {
      this.baseObjects = List.of();
    }
  }

  /** Adds the index of a pack just stored; indexes are sent in a metadata pack every {@link #INDEXES_PER_FLUSH}. */
  void addIndex(PackIndex index) throws IOException, InterruptedException {
    byte[] encoded = index.encode();
    heldOffsets.add(batch.add(MetadataPack.INDEX, 0, encoded));
    heldLengths.add(encoded.length);
    heldIndexes.add(index);
    if (heldIndexes.size() >= INDEXES_PER_FLUSH) {
      flush();
    }
  }

  /**
   * Adds a metadata file with its content at the cut. The rule: let the base snapshot list the
   * file with SHA-256 S, length L and parts P (ranges of metadata packs). When the content is at
   * least L bytes, its first L bytes have SHA-256 S, P has fewer than {@link #MAX_PARTS} parts,
   * and every metadata pack P names is in the bucket, the file is P followed by one new part
   * holding bytes L to the end (none when the length is still L: the file is unchanged).
   * Otherwise the file is sent whole as one new part. Either way the snapshot names the file's
   * SHA-256 and length, which a reader checks on the concatenation of the parts.
   */
  void addFile(String path, byte[] content) throws IOException, InterruptedException {
    Manifest.File b = base.get(path);
    List<Part> parts = new ArrayList<>();
    String[] sha = sha256(content, b == null ? -1 : b.length());
    long from = 0;
    if (b != null && b.parts() != null && b.length() <= content.length && b.parts().size() < MAX_PARTS
        && b.sha256().equals(sha[0]) && inBucket(b.parts())) {
      for (MetadataPack.Ref r : b.parts()) {
        parts.add(new Part(null, baseObjects.get(r.object()), r.offset(), r.length()));
      }
      from = b.length();
      deltas += from < content.length && from > 0 ? 1 : 0;
    }
    if (from < content.length) {
      byte[] tail = from == 0 ? content : java.util.Arrays.copyOfRange(content, (int) from, content.length);
      parts.add(new Part(batch, null, batch.add(path, from, tail), tail.length));
      filesSent++;
      newBytes += tail.length;
    }
    files.add(new Entry(path, sha[1], content.length, parts));
    if (batch.size() >= target) {
      flush();
    }
  }

  private boolean inBucket(List<MetadataPack.Ref> parts) {
    for (MetadataPack.Ref r : parts) {
      if (r.object() < 0 || r.object() >= baseObjects.size() || !state.inBucket(baseObjects.get(r.object()))) {
        return false;
      }
    }
    return true;
  }

  /** Sends the metadata pack being built (if it holds anything), then records the indexes it holds. */
  void flush() throws IOException, InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    byte[] body = batch.build();
    String key = repo.key(RemoteRepository.Kind.MPACK, BlobCodec.sha256(body));
    if (sender.send(key, MetadataPack.compress(body))) {
      packsSent++;
    }
    sent.put(batch, key);
    List<RemoteState.Record> records = new ArrayList<>();
    for (int i = 0; i < heldIndexes.size(); i++) {
      PackIndex idx = heldIndexes.get(i);
      records.add(RemoteState.packAt(new RemoteState.Loc(key, heldOffsets.get(i), heldLengths.get(i)), idx.pack(),
          idx.digests()));
    }
    state.recordPacks(records);
    heldIndexes.clear();
    heldOffsets.clear();
    heldLengths.clear();
    batch = new MetadataPack.Builder();
  }

  /**
   * The snapshot's lists once everything is flushed: every file with its parts, every version-2
   * pack index the state knows, and the table of metadata pack objects they point into.
   */
  Manifest manifest(String server, long number, String at, List<String> dictionaries, String path, String root)
      throws IOException, InterruptedException {
    flush();
    Map<String, Integer> objects = new LinkedHashMap<>();
    List<Manifest.File> out = new ArrayList<>(files.size());
    for (Entry e : files) {
      List<MetadataPack.Ref> refs = new ArrayList<>(e.parts().size());
      for (Part p : e.parts()) {
        String object = p.batch() == null ? p.object() : sent.get(p.batch());
        refs.add(new MetadataPack.Ref(objects.computeIfAbsent(object, k -> objects.size()), p.offset(), p.length()));
      }
      out.add(new Manifest.File(e.path(), null, e.sha256(), e.length(), refs));
    }
    List<MetadataPack.Ref> indexes = new ArrayList<>();
    for (RemoteState.Loc l : state.packIndexes()) {
      indexes.add(new MetadataPack.Ref(objects.computeIfAbsent(l.object(), k -> objects.size()), l.offset(),
          l.length()));
    }
    return new Manifest(server, number, at, out, state.indexes(), dictionaries, path, root,
        List.copyOf(objects.keySet()), indexes);
  }

  /** Metadata packs stored by this upload. */
  long packsSent() {
    return packsSent;
  }

  /** Files with new bytes sent (whole or as a tail). */
  long filesSent() {
    return filesSent;
  }

  /** Files sent as their new tail only. */
  long deltas() {
    return deltas;
  }

  /** Bytes of metadata files sent, before compression. */
  long newBytes() {
    return newBytes;
  }

  /** The SHA-256 of the first {@code prefix} bytes (null when not in range) and of the whole content. */
  private static String[] sha256(byte[] content, long prefix) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      String first = null;
      if (prefix >= 0 && prefix <= content.length) {
        md.update(content, 0, (int) prefix);
        first = HexFormat.of().formatHex(((MessageDigest) md.clone()).digest());
        md.update(content, (int) prefix, content.length - (int) prefix);
      } else {
        md.update(content);
      }
      return new String[] {first, HexFormat.of().formatHex(md.digest())};
    } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }
}
