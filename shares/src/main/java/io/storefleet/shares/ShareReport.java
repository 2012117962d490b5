package io.storefleet.shares;

import io.storefleet.protocol.catalogue.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The answer of a share check: what was checked, with which maps, and every broken share. It is
 * the JSON answer of {@code doCheckShares}; {@link #render()} is the same for people.
 *
 * @param checked per server, how many grants and mountpoints it stores
 * @param maps the import maps used, as {@code server:file}
 * @param summary the counts
 * @param problems every broken share, by server, then grants before mountpoints, then folder
 */
public record ShareReport(List<Checked> checked, List<String> maps, Summary summary, List<ShareProblem> problems) {

  public ShareReport {
    checked = List.copyOf(checked);
    maps = List.copyOf(maps);
    problems = List.copyOf(problems);
  }

  /**
   * What one server stores.
   *
   * @param server the server
   * @param grants its grants
   * @param mountpoints its mountpoints
   */
  public record Checked(String server, long grants, long mountpoints) {}

  /**
   * The counts of a report.
   *
   * @param grants grants checked
   * @param mountpoints mountpoints checked
   * @param broken broken shares
   * @param fixable broken shares that the planned fixes repair
   * @param byName fixes found without an import map entry (by address or by the owner's grant)
   */
  public record Summary(long grants, long mountpoints, long broken, long fixable, long byName) {}

  static ShareReport of(List<Checked> checked, List<String> maps, List<ShareProblem> problems) {
    long grants = checked.stream().mapToLong(Checked::grants).sum();
    long mounts = checked.stream().mapToLong(Checked::mountpoints).sum();
    long fixable = problems.stream().filter(ShareProblem::fixable).count();
    long byName = problems.stream().filter(p -> p.resolution() != null
        && (p.resolution().via() == ShareProblem.Via.NAME || p.resolution().via() == ShareProblem.Via.OWNER_GRANT))
        .count();
    return new ShareReport(checked, maps, new Summary(grants, mounts, problems.size(), fixable, byName), problems);
  }

  /** The part of this report about objects stored on {@code server}. */
  public ShareReport forServer(String server) {
    return of(checked.stream().filter(c -> c.server().equals(server)).toList(), maps,
        problems.stream().filter(p -> p.server().equals(server)).toList());
  }

  /** The fixes to apply, in report order. */
  public List<ShareFix> fixes() {
    List<ShareFix> out = new ArrayList<>();
    for (ShareProblem p : problems) {
      if (p.fix() != null) {
        out.add(p.fix());
      }
    }
    return out;
  }

  /** The report as a summary and a table. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("Checked ").append(summary.grants()).append(" grant(s) and ").append(summary.mountpoints())
        .append(" mountpoint(s) on ").append(checked.isEmpty() ? "no server"
            : String.join(", ", checked.stream().map(Checked::server).toList()))
        .append(maps.isEmpty() ? ", with no import map" : ", with import map(s) " + String.join(", ", maps))
        .append(".\n");
    if (problems.isEmpty()) {
      return sb.append("No broken share.\n").toString();
    }
    sb.append(summary.broken()).append(" broken share(s): ").append(summary.fixable()).append(" fixable (")
        .append(summary.byName()).append(" without a map entry), ").append(summary.broken() - summary.fixable())
        .append(" not fixable.\n\n");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"SERVER", "KIND", "FOLDER", "OWNER", "GRANTEE", "CAUSE", "FIX"});
    for (ShareProblem p : problems) {
      String folder = p.folderPath() + " (" + p.folderId() + ")"
          + (p.kind() == ShareProblem.Kind.MOUNTPOINT ? " -> " + p.remoteFolderId() : "");
      rows.add(new String[] {p.server(), p.kind().name().toLowerCase(Locale.ROOT), folder, side(p.owner()),
          side(p.grantee()), p.cause().name().toLowerCase(Locale.ROOT).replace('_', ' '), p.fixText()});
    }
    return sb.append(Table.render(rows)).toString();
  }

  private static String side(ShareProblem.Side s) {
    return s.name() + (s.server() == null ? " (unknown id " + shortId(s.id()) + ")" : " (" + s.server() + ")");
  }

  /** Enough of an id to tell it from others in a table; the JSON answer has it whole. */
  private static String shortId(String id) {
    return id.length() > 13 ? id.substring(0, 8) + "..." : id;
  }
}
