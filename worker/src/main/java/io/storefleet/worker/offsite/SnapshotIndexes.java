package io.storefleet.worker.offsite;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pack indexes of many snapshots, for a prune: each metadata pack and version-1 index object
 * read once, however many snapshots name it. Objects missing from the bucket's listing are
 * skipped (a snapshot naming one is damaged; a prune deletes nothing it names).
 */
final class SnapshotIndexes {
  private record Slice(String object, long offset, int length) {}

  private final RemoteRepository repo;
  private final Set<String> listed;
  private final OffsiteUpload.Steps steps;
  private final Map<String, Set<Slice>> wanted = new LinkedHashMap<>();
  private final Set<String> wantedV1 = new LinkedHashSet<>();
  private final Map<Slice, PackIndex> bySlice = new HashMap<>();
  private final Map<String, PackIndex> byKey = new HashMap<>();

  SnapshotIndexes(RemoteRepository repo, Set<String> listed, OffsiteUpload.Steps steps) {
    this.repo = repo;
    this.listed = listed;
    this.steps = steps;
  }

  /** Notes the indexes {@code m} names, to be read by {@link #read}. */
  void want(Manifest m) {
    for (MetadataPack.Ref r : m.packIndexes()) {
      Slice s = slice(m, r);
      if (s != null && listed.contains(s.object())) {
        wanted.computeIfAbsent(s.object(), k -> new LinkedHashSet<>()).add(s);
      }
    }
    m.indexes().stream().filter(listed::contains).forEach(wantedV1::add);
  }

  void read() throws IOException {
    for (var e : wanted.entrySet()) {
      steps.checkStopped();
      MetadataPack pack = MetadataPack.decode(repo.read(e.getKey()), e.getKey());
      for (Slice s : e.getValue()) {
        bySlice.put(s, PackIndex.decode(pack.slice(s.offset(), s.length(), s.object()), s.object()));
      }
    }
    for (String k : wantedV1) {
      steps.checkStopped();
      byKey.put(k, PackIndex.decode(repo.read(k), k));
    }
  }

  /** The indexes {@code m} names that were read. */
  List<PackIndex> of(Manifest m) {
    List<PackIndex> out = new ArrayList<>();
    for (MetadataPack.Ref r : m.packIndexes()) {
      Slice s = slice(m, r);
      if (s != null && bySlice.containsKey(s)) {
        out.add(bySlice.get(s));
      }
    }
    m.indexes().stream().filter(byKey::containsKey).forEach(k -> out.add(byKey.get(k)));
    return out;
  }

  /**
   * {@code m} as snapshot {@code number} of {@code at}, naming only the indexes of packs that hold
   * a blob of {@code live}, and only the metadata packs its files and those indexes are in.
   */
  Manifest onlyLive(Manifest m, Set<String> live, long number, String at) {
    List<MetadataPack.Ref> refs = new ArrayList<>();
    for (MetadataPack.Ref r : m.packIndexes()) {
      Slice s = slice(m, r);
      PackIndex idx = s == null ? null : bySlice.get(s);
      if (idx != null && idx.entries().stream().anyMatch(b -> live.contains(b.digest()))) {
        refs.add(r);
      }
    }
    List<String> v1 = m.indexes().stream().filter(k -> byKey.containsKey(k)
        && byKey.get(k).entries().stream().anyMatch(b -> live.contains(b.digest()))).toList();
    // The metadata packs still needed, renumbered in their order.
    Map<Integer, Integer> renumber = new LinkedHashMap<>();
    List<Manifest.File> files = new ArrayList<>();
    for (Manifest.File f : m.files()) {
      files.add(f.parts() == null ? f : new Manifest.File(f.path(), f.object(), f.sha256(), f.length(),
          f.parts().stream().map(r -> moved(r, renumber)).toList()));
    }
    List<MetadataPack.Ref> indexRefs = refs.stream().map(r -> moved(r, renumber)).toList();
    List<String> objects = new ArrayList<>(renumber.size());
    renumber.keySet().forEach(i -> objects.add(m.objects().get(i)));
    return new Manifest(m.server(), number, at, files, v1, m.dictionaries(), m.path(), m.root(), objects, indexRefs);
  }

  private static MetadataPack.Ref moved(MetadataPack.Ref r, Map<Integer, Integer> renumber) {
    int to = renumber.computeIfAbsent(r.object(), k -> renumber.size());
    return new MetadataPack.Ref(to, r.offset(), r.length());
  }

  private static Slice slice(Manifest m, MetadataPack.Ref r) {
    if (r.object() < 0 || r.object() >= m.objects().size()) {
      return null;
    }
    return new Slice(m.objects().get(r.object()), r.offset(), r.length());
  }
}
