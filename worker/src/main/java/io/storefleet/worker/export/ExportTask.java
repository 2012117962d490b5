package io.storefleet.worker.export;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.protocol.operation.OperationStats;
import io.storefleet.protocol.operation.Unrestored;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.backup.format.ProvisioningSnapshot;
import io.storefleet.worker.backup.format.ServerConfigSnapshot;
import io.storefleet.worker.cluster.AccountDirectory;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.queue.OperationFailure;
import io.storefleet.worker.queue.OperationTask;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.DistributionList;
import io.storefleet.worker.store.MailStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * doExport: a self-contained copy of the chosen domains' accounts, in the backup path format (so
 * that every backup reader, and doExternalRestore, reads it), holding each account's current
 * mailbox and the provisioning the accounts need. The destination also gets the export marker and
 * a progress log, so a stopped or interrupted export resumes on a re-run instead of starting over.
 */
public final class ExportTask implements OperationTask {
  private final MailStore store;
  private final String serverId;
  private final Path destination;
  private final ExportSelection selection;
  private final Long readErrorThreshold;
  private final Supplier<byte[]> serverDictionary;
  private final AccountDirectory cluster;

  /**
   * @param readErrorThreshold how many unreadable items end the export early, or null for no limit
   * @param serverDictionary the zstd dictionary of the server's own backup path, or null: the
   *     export adopts it as its own, so its blobs compress as well as the server's
   * @param cluster asked, at the end, which accounts of the exported domains live elsewhere
   */
  ExportTask(MailStore store, String serverId, Path destination, ExportSelection selection,
      Long readErrorThreshold, Supplier<byte[]> serverDictionary, AccountDirectory cluster) {
    this.store = store;
    this.serverId = serverId;
    this.destination = destination;
    this.selection = selection;
    this.readErrorThreshold = readErrorThreshold;
    this.serverDictionary = serverDictionary;
    this.cluster = cluster;
  }

  @Override
  public OperationStats run(OperationContext ctx) throws IOException {
    ExportProgress progress = new ExportProgress(ctx);
    progress.phase("checking the destination");
    ExportDestination.State state = ExportDestination.inspect(destination, serverId);
    ExportMarker marker = state.resume();
    if (marker != null && !marker.sameSelection(selection)) {
      throw ErrorCode.CONFLICT.exception("doExport destination_path " + destination + " holds an unfinished export of "
          + marker.describeSelection() + "; re-run doExport with the same domains, cos and skip_items to resume it,"
          + " or give an empty folder", serverId);
    }
    Map<String, Long> c = new LinkedHashMap<>();
    for (String k : List.of("accountsExported", "accountsResumed", "accountsGone", "accountsExcluded", "itemsExported",
        "itemsUnreadable", "blobsWritten", "bytesRead", "bytesStored", "accountsElsewhere")) {
      c.put(k, 0L);
    }
    boolean fresh = marker == null;
    List<Account> chosen = null;
    if (fresh) {
      ExportSelection.Found found = selection.find(store);
      chosen = found.accounts();
      c.put("accountsExcluded", (long) found.backupDisabled().size());
      long seq = store.lastSequence();
      BackupPath.open(destination, serverId);
      marker = ExportMarker.of(serverId, ctx.clock().instant(), selection, seq, chosen.stream().map(Account::id).toList());
      marker.write(destination);
    }
    BackupPath path = BackupPath.open(destination, serverId);
    List<Unrestored> unreadable = new ArrayList<>();
    try (BackupEngine out = BackupEngine.open(path, () -> false); ExportLog log = ExportLog.open(destination)) {
      if (out.serverRecords(path.provisioningLog(), ProvisioningSnapshot.class).isEmpty()) {
        List<Account> accounts = chosen != null ? chosen : live(marker.accounts());
        out.appendServerRecord(path.provisioningLog(), provisioning(accounts, ctx.clock().instant()));
      }
      // The store kind tells an import whether contents cross kinds (compared in canonical form then).
      out.appendIfChanged(path.configLog(), new ServerConfigSnapshot(Map.of("serverConfig",
          Map.of("serverId", serverId, "store", store.kind())), ctx.clock().instant()), ServerConfigSnapshot.class,
          ServerConfigSnapshot::sameAs);
      Set<String> settled = log.settled();
      List<Account> todo = new ArrayList<>();
      long total = 0;
      for (String id : marker.accounts()) {
        if (settled.contains(id)) {
          c.merge("accountsResumed", 1L, Long::sum);
          continue;
        }
        Optional<Account> a = store.account(id);
        if (a.isEmpty()) {
          log.gone(id, null, ctx.clock().instant());
          c.merge("accountsGone", 1L, Long::sum);
          continue;
        }
        todo.add(a.get());
        total += selection.skipItems() ? 0 : store.items(id).size();
      }
      progress.total(total);
      if (!selection.skipItems()) {
        // Before the first blob: a path's dictionary is in place before anything is compressed with it.
        out.blobs().adoptDictionary(serverDictionary.get());
      }
      AccountExport export = new AccountExport(store, out, ctx, progress, selection.skipItems());
      for (Account a : todo) {
        ctx.checkStopped();
        if (export.committed(a.id())) {
          // Committed by a run that stopped before logging it.
          log.exported(a.id(), a.name(), -1, -1, ctx.clock().instant());
          c.merge("accountsResumed", 1L, Long::sum);
          continue;
        }
        AccountExport.Outcome o;
        try {
          o = export.export(a);
        } catch (StorefleetException e) {
          if (e.code() != ErrorCode.NOT_FOUND || store.account(a.id()).isPresent()) {
            throw e;
          }
          // Deleted while the export ran: nothing of it was committed.
          log.gone(a.id(), a.name(), ctx.clock().instant());
          c.merge("accountsGone", 1L, Long::sum);
          continue;
        }
        log.exported(a.id(), a.name(), o.items(), o.seq(), ctx.clock().instant());
        c.merge("accountsExported", 1L, Long::sum);
        c.merge("itemsExported", o.items(), Long::sum);
        c.merge("blobsWritten", o.blobsWritten(), Long::sum);
        c.merge("bytesRead", o.bytesRead(), Long::sum);
        c.merge("bytesStored", o.bytesStored(), Long::sum);
        unreadable.addAll(o.unreadable());
        c.put("itemsUnreadable", (long) unreadable.size());
        if (readErrorThreshold != null && unreadable.size() > readErrorThreshold) {
          String verdict = "Export stopped: " + unreadable.size() + " unreadable item(s), more than read_error_threshold "
              + readErrorThreshold + ". The accounts done so far are in " + destination
              + "; fix the store and re-run the same doExport to resume.";
          throw new OperationFailure(ErrorCode.IO_ERROR, verdict, new OperationStats(c, unreadable, verdict));
        }
      }
      log.finished(c, ctx.clock().instant());
    }
    progress.finished();
    String what = "Export of " + serverId + " (" + marker.describeSelection() + ") in " + destination + ": "
        + (c.get("accountsExported") + c.get("accountsResumed")) + " account(s)"
        + (c.get("accountsResumed") > 0 ? " (" + c.get("accountsResumed") + " from an earlier run)" : "")
        + ", " + c.get("itemsExported") + " item(s) exported in this run"
        + (c.get("accountsExcluded") > 0 ? ", " + c.get("accountsExcluded") + " account(s) left out: backup disabled"
            + " for their COS" : "")
        + (c.get("accountsGone") > 0 ? ", " + c.get("accountsGone") + " account(s) gone since it started" : "")
        + elsewhere(c);
    if (!unreadable.isEmpty()) {
      String verdict = what + "; " + unreadable.size() + " item(s) could not be read and are not in the export.";
      throw new OperationFailure(ErrorCode.IO_ERROR, verdict, new OperationStats(c, unreadable, verdict));
    }
    return new OperationStats(c, List.of(), what + ".");
  }

  /**
   * A domain's accounts may be spread over several servers, and this export holds only this
   * server's: the verdict names the servers that hold the rest, so nobody takes it for the whole
   * domain.
   */
  private String elsewhere(Map<String, Long> c) {
    Set<String> domains = new TreeSet<>();
    selection.domains(store).forEach(d -> domains.add(d.name().toLowerCase(Locale.ROOT)));
    if (domains.isEmpty()) {
      return "";
    }
    Map<String, Long> by;
    try {
      by = cluster.elsewhere(domains, serverId);
    } catch (RuntimeException e) {
      return ". Whether other servers hold accounts of " + String.join(", ", domains) + " is not known (" + e.getMessage()
          + ")";
    }
    long n = by.values().stream().mapToLong(Long::longValue).sum();
    c.put("accountsElsewhere", n);
    if (n == 0) {
      return "";
    }
    List<String> each = new ArrayList<>();
    by.forEach((server, k) -> each.add(server + ": " + k));
    return ". NOT in this export: " + n + " more account(s) of " + String.join(", ", domains)
        + " that live on other servers (" + String.join(", ", each) + "); 'storefleet export' exports the domain from"
        + " every server that holds part of it";
  }

  private List<Account> live(List<String> ids) {
    List<Account> out = new ArrayList<>();
    for (String id : ids) {
      store.account(id).ifPresent(out::add);
    }
    return out;
  }

  /** The provisioning the exported accounts need: their domains, the COS they use, the domains' lists. */
  private ProvisioningSnapshot provisioning(List<Account> accounts, Instant at) {
    List<DistributionList> lists = store.distributionLists().stream()
        .filter(l -> selection.inDomains(domainOf(l.name()))).toList();
    return new ProvisioningSnapshot(selection.domains(store), ExportSelection.cosesUsed(store, accounts), lists,
        store.lastSequence(), at);
  }

  private static String domainOf(String address) {
    int at = address.lastIndexOf('@');
    return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
  }
}
