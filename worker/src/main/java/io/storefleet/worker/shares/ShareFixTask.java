package io.storefleet.worker.shares;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.operation.Unrestored;
import io.storefleet.shares.FixOutcome;
import io.storefleet.shares.MapSelection;
import io.storefleet.shares.ShareFix;
import io.storefleet.shares.ShareProblem;
import io.storefleet.shares.ShareReport;
import io.storefleet.shares.ShareSurvey;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.queue.OperationFailure;
import io.storefleet.worker.queue.OperationTask;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * doFixShares: checks, applies every planned fix on the server that stores the object, then
 * checks again. It ends SUCCEEDED only if the second check finds no broken share in its scope;
 * otherwise FAILED with the shares still broken in the result block. Running it again is safe:
 * each fix checks that the object is still as planned, and a fix already made is reported as
 * such.
 */
public final class ShareFixTask implements OperationTask {
  static final int BATCH = 1000;
  /** Lines of fixes or problems listed in the verdict; the counters hold the totals. */
  static final int SHOWN = 50;

  private final ShareSurvey survey;
  private final MapSelection selection;
  private final String scope;

  /** @param scope the one server whose shares are fixed, or null for every server */
  public ShareFixTask(ShareSurvey survey, MapSelection selection, String scope) {
    this.survey = survey;
    this.selection = selection;
    this.scope = scope;
  }

  @Override
  public OperationStats run(OperationContext ctx) {
    ctx.progress("checking shares", 0, 0, 0);
    ShareReport before = scoped(survey.check(selection));
    ctx.checkStopped();
    Map<String, List<ShareFix>> byServer = new LinkedHashMap<>();
    for (ShareFix f : before.fixes()) {
      byServer.computeIfAbsent(f.server(), k -> new ArrayList<>()).add(f);
    }
    int total = before.fixes().size();
    List<FixOutcome> outcomes = new ArrayList<>(total);
    for (Map.Entry<String, List<ShareFix>> e : byServer.entrySet()) {
      List<ShareFix> fixes = e.getValue();
      for (int i = 0; i < fixes.size(); i += BATCH) {
        ctx.checkStopped();
        ctx.progress("fixing shares on " + e.getKey(), outcomes.size(), total, 0);
        outcomes.addAll(survey.servers().apply(e.getKey(), fixes.subList(i, Math.min(fixes.size(), i + BATCH))));
      }
    }
    ctx.progress("checking shares again", total, total, 0);
    ShareReport after = scoped(survey.check(selection));
    return result(before, outcomes, after);
  }

  private ShareReport scoped(ShareReport r) {
    return scope == null ? r : r.forServer(scope);
  }

  private OperationStats result(ShareReport before, List<FixOutcome> outcomes, ShareReport after) {
    Map<String, Long> c = new LinkedHashMap<>();
    c.put("grants", before.summary().grants());
    c.put("mountpoints", before.summary().mountpoints());
    c.put("broken", before.summary().broken());
    c.put("byName", before.summary().byName());
    for (FixOutcome.Status s : FixOutcome.Status.values()) {
      c.put(s.name().toLowerCase(), outcomes.stream().filter(o -> o.status() == s).count());
    }
    c.put("regranted", count(outcomes, ShareFix.Action.REGRANT));
    c.put("repointed", count(outcomes, ShareFix.Action.REPOINT));
    c.put("remaining", after.summary().broken());
    String where = scope == null ? "every server" : scope;
    StringBuilder v = new StringBuilder();
    if (before.problems().isEmpty()) {
      v.append("No broken share on ").append(where).append(": nothing to fix.");
      return new OperationStats(c, List.of(), v.toString());
    }
    v.append(before.summary().broken()).append(" broken share(s) on ").append(where).append(" checked with ")
        .append(selection).append(": ").append(c.get("regranted")).append(" grant(s) re-granted, ")
        .append(c.get("repointed")).append(" mountpoint(s) re-pointed (").append(before.summary().byName())
        .append(" fix(es) found without a map entry), ").append(c.get("already")).append(" already done, ")
        .append(c.get("changed")).append(" skipped because the object changed, ").append(c.get("failed"))
        .append(" failed.");
    int shown = 0;
    for (FixOutcome o : outcomes) {
      if (o.status() != FixOutcome.Status.APPLIED && shown++ < SHOWN) {
        v.append("\n  ").append(o.status()).append(' ').append(describe(o.fix())).append(": ").append(o.detail());
      }
    }
    if (after.problems().isEmpty()) {
      v.append("\nAfterwards doCheckShares finds no broken share on ").append(where).append('.');
      return new OperationStats(c, List.of(), v.toString());
    }
    List<Unrestored> left = new ArrayList<>();
    v.append("\nAfterwards ").append(after.summary().broken()).append(" share(s) are still broken:");
    for (ShareProblem p : after.problems()) {
      String holder = p.kind() == ShareProblem.Kind.GRANT ? p.owner().name() : p.grantee().name();
      left.add(new Unrestored(holder, p.folderId(), p.server() + " " + p.kind().name().toLowerCase() + " "
          + p.folderPath() + ": " + p.cause() + " (" + p.detail() + "); " + p.fixText()));
      if (left.size() <= SHOWN) {
        v.append("\n  ").append(p.server()).append(' ').append(p.kind().name().toLowerCase()).append(' ')
            .append(holder).append(' ').append(p.folderPath()).append(": ").append(p.cause()).append("; ")
            .append(p.fixText());
      }
    }
    if (left.size() > SHOWN) {
      v.append("\n  ... and ").append(left.size() - SHOWN).append(" more");
    }
    if (!selection.isAll()) {
      v.append("\nShares whose other side was imported on another server need that server's map: run"
          + " 'storefleet --host all_servers backup doFixShares all' to use every server's map.");
    }
    throw new OperationFailure(ErrorCode.CONFLICT, v.toString(), new OperationStats(c, left, v.toString()));
  }

  private static long count(List<FixOutcome> outcomes, ShareFix.Action a) {
    return outcomes.stream().filter(o -> o.status() == FixOutcome.Status.APPLIED && o.fix().action() == a).count();
  }

  private static String describe(ShareFix f) {
    return f.action() == ShareFix.Action.REGRANT
        ? "re-grant on " + f.server() + " of folder " + f.folderId() + " of " + f.accountId() + " to " + f.newGranteeId()
        : "re-point on " + f.server() + " of mountpoint " + f.folderId() + " of " + f.accountId() + " to "
            + f.to().ownerId() + ":" + f.to().remoteFolderId();
  }
}
