package io.storefleet.shares;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The cluster's accounts and the selected import maps, merged from every server's {@link
 * ServerShares}, with the lookups a share check needs: an account by id or by address, and an
 * old id through the maps.
 */
final class ShareIndex {
  /** A live account and the server that has it. */
  record Live(ServerShares.AccountFolders account, String server) {}

  /** A map entry and the server whose backup path holds the map. */
  record Mapped(String server, ServerShares.MappedAccount entry) {}

  /**
   * The account an id or address stands for now.
   *
   * @param live the account, or null when none was found
   * @param map for a map match, the entry used
   * @param via how it was found, or null
   * @param note what was matched, or why nothing was
   */
  record Resolved(Live live, Mapped map, ShareProblem.Via via, String note) {
    boolean found() {
      return live != null;
    }
  }

  private final Map<String, Live> byId = new HashMap<>();
  private final Map<String, String> idByAddress = new HashMap<>();
  private final Map<String, List<Mapped>> byOldId = new HashMap<>();
  private final Map<String, List<Mapped>> byNewId = new HashMap<>();
  private final Set<String> maps = new LinkedHashSet<>();

  ShareIndex(List<ServerShares> all, MapSelection selection) {
    for (ServerShares s : all) {
      for (ServerShares.AccountFolders a : s.accounts()) {
        byId.put(a.id(), new Live(a, s.server()));
        idByAddress.put(a.name().toLowerCase(Locale.ROOT), a.id());
        for (String alias : a.aliases()) {
          idByAddress.putIfAbsent(alias.toLowerCase(Locale.ROOT), a.id());
        }
      }
    }
    for (ServerShares s : all) {
      for (ServerShares.MappedAccount m : s.mapped()) {
        if (selection.includes(s.server(), m.file())) {
          Mapped e = new Mapped(s.server(), m);
          byOldId.computeIfAbsent(m.oldId(), k -> new ArrayList<>(1)).add(e);
          byNewId.computeIfAbsent(m.newId(), k -> new ArrayList<>(1)).add(e);
          maps.add(s.server() + ":" + m.file());
        }
      }
    }
  }

  Live live(String id) {
    return id == null ? null : byId.get(id);
  }

  /** The selected maps that name at least one account, as {@code server:file}. */
  List<String> maps() {
    return List.copyOf(maps);
  }

  /** The map entries whose new id is {@code id}: where an account that is live now came from. */
  List<Mapped> mappedTo(String id) {
    return byNewId.getOrDefault(id, List.of());
  }

  /**
   * The live account that an id no server has stands for: through the selected maps first,
   * then by address. A map entry whose new account exists nowhere, or maps that disagree, fall
   * through to the address.
   */
  Resolved resolve(String staleId, String address) {
    List<Mapped> entries = byOldId.getOrDefault(staleId, List.of());
    String why = "no import map names " + staleId;
    Mapped chosen = null;
    Set<String> targets = new LinkedHashSet<>();
    for (Mapped m : entries) {
      if (byId.containsKey(m.entry().newId())) {
        targets.add(m.entry().newId());
        chosen = chosen == null ? m : chosen;
      }
    }
    if (targets.size() == 1) {
      Live live = byId.get(chosen.entry().newId());
      return new Resolved(live, chosen, ShareProblem.Via.MAP,
          "map " + chosen.server() + ":" + chosen.entry().file() + " names " + staleId + " -> " + live.account().id());
    }
    if (targets.size() > 1) {
      why = "import maps disagree about " + staleId + " (" + String.join(", ", targets) + ")";
    } else if (!entries.isEmpty()) {
      why = "import map " + entries.get(0).server() + ":" + entries.get(0).entry().file() + " names " + staleId
          + " -> " + entries.get(0).entry().newId() + ", which no server has";
    }
    String id = address == null ? null : idByAddress.get(address.toLowerCase(Locale.ROOT));
    if (id != null) {
      return new Resolved(byId.get(id), null, ShareProblem.Via.NAME, why + "; matched by address " + address);
    }
    return new Resolved(null, null, null, why + " and no server has an account " + address);
  }
}
