package io.storefleet.worker.importmap;

import io.storefleet.protocol.catalogue.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * An import map as {@code getMap} shows it: JSON for machines, a table for people.
 *
 * @param file the map file
 * @param source the server its accounts came from
 * @param accounts the mapped accounts, in the order the import wrote them
 * @param itemEntries item id pairs, counting any written twice
 * @param tornTailBytes bytes of an unfinished last record, ignored
 */
public record IdMapView(String file, String source, List<Account> accounts, long itemEntries, long tornTailBytes) {

  /**
   * One account of the map.
   *
   * @param name its address
   * @param oldId its id on the source server
   * @param newId its id here
   * @param items old → new item and folder ids, as {@code [old, new]} pairs in ascending old id
   */
  public record Account(String name, String oldId, String newId, List<int[]> items) {}

  public static IdMapView of(IdMap m) {
    List<Account> accounts = new ArrayList<>();
    for (AccountMapping a : m.accounts().values()) {
      List<int[]> items = new ArrayList<>(a.items().size());
      for (int i = 0; i < a.items().size(); i++) {
        items.add(new int[] {a.items().oldAt(i), a.items().newAt(i)});
      }
      accounts.add(new Account(a.name(), a.oldId(), a.newId(), items));
    }
    return new IdMapView(m.file().toString(), m.source(), accounts, m.itemEntries(), m.tornTailBytes());
  }

  /** One row per account, then one per item id: TYPE, ACCOUNT, OLD ID, NEW ID. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    long items = accounts.stream().mapToLong(a -> a.items().size()).sum();
    sb.append("Import map ").append(file).append(" from server ").append(source).append(": ")
        .append(accounts.size()).append(" account(s), ").append(items).append(" item id(s)");
    if (tornTailBytes > 0) {
      sb.append("; ").append(tornTailBytes).append(" byte(s) of an unfinished last record ignored");
    }
    sb.append(".\n");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"TYPE", "ACCOUNT", "OLD ID", "NEW ID"});
    for (Account a : accounts) {
      rows.add(new String[] {"account", a.name(), a.oldId(), a.newId()});
    }
    for (Account a : accounts) {
      for (int[] p : a.items()) {
        rows.add(new String[] {"item", a.name(), Integer.toString(p[0]), Integer.toString(p[1])});
      }
    }
    return sb.append(Table.render(rows)).toString();
  }
}
