package io.storefleet.shares;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Item ids looked up in import maps. The maps stay on the servers that hold them; a check first
 * runs with {@link Recording} to learn which ids it needs, asks each server for those, then runs
 * again with {@link #known}.
 */
interface Translations {
  /** The new id of an account's old item id in a map of {@code server}, or -1. */
  int newId(String server, String file, String oldAccountId, int oldId);

  /** Answers nothing and notes every question, by server. */
  final class Recording implements Translations {
    private final Map<String, Set<IdRef>> asked = new LinkedHashMap<>();

    @Override
    public int newId(String server, String file, String oldAccountId, int oldId) {
      asked.computeIfAbsent(server, k -> new LinkedHashSet<>()).add(new IdRef(file, oldAccountId, oldId, -1));
      return -1;
    }

    /** The questions for each server. */
    Map<String, List<IdRef>> questions() {
      Map<String, List<IdRef>> out = new LinkedHashMap<>();
      asked.forEach((s, refs) -> out.put(s, new ArrayList<>(refs)));
      return out;
    }
  }

  /** The answers servers gave, by server. */
  static Translations known(Map<String, List<IdRef>> answers) {
    Map<String, Integer> byKey = new HashMap<>();
    answers.forEach((server, refs) -> refs.forEach(r ->
        byKey.put(key(server, r.file(), r.oldAccountId(), r.oldId()), r.newId())));
    return (server, file, oldAccountId, oldId) -> byKey.getOrDefault(key(server, file, oldAccountId, oldId), -1);
  }

  private static String key(String server, String file, String account, int id) {
    return server + '\u0000' + file + '\u0000' + account + '\u0000' + id;
  }
}
