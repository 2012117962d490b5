package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BackupHistoryReader;
import io.storefleet.worker.backup.format.ProvisioningSnapshot;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.DistributionList;
import io.storefleet.worker.store.Domain;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The worker-kept directory ({@link KeptDirectory}) as the backup path last recorded it, with every
 * id: domains, classes of service and lists from the last {@code provisioning.log} record, each live
 * account's COS and aliases from its last {@code account.log} snapshot. A backup that records
 * nothing means a first start, where the directory is rightly empty. Accounts without any
 * provisioning record after a SmartScan ran (which records provisioning first) mean a lost
 * {@code provisioning.log}, and the start is refused rather than rebuilding without the domains,
 * COS and lists; without a SmartScan (real-time backups only, which record provisioning only when
 * it changes) the accounts' COS and aliases are rebuilt, with a WARNING.
 */
final class BackupDirectory {
  private static final Logger LOG = Logger.getLogger(BackupDirectory.class.getName());

  private BackupDirectory() {}

  /** The recorded directory, or empty when the backup records no provisioning and no account. */
  static Optional<KeptDirectory.State> read(BackupEngine engine, KeptDirectory kept) {
    try {
      List<ProvisioningSnapshot> records = engine.serverRecords(engine.path().provisioningLog(),
          ProvisioningSnapshot.class);
      List<String> accountIds = engine.accountIds();
      if (records.isEmpty() && accountIds.isEmpty()) {
        return Optional.empty();
      }
      Path log = engine.path().provisioningLog();
      KeptDirectory.State s = new KeptDirectory.State(null, null, null, null, null);
      if (records.isEmpty()) {
        Optional<Path> scanned = smartScanRecord(engine);
        if (scanned.isPresent()) {
          throw refused(kept, engine, "it records " + accountIds.size() + " accounts and a SmartScan (" + scanned.get()
              + ") but no provisioning: " + log + " is missing or empty (a SmartScan writes it first), so the domains,"
              + " classes of service and distribution lists would be lost; put " + log + " back from a copy of the"
              + " backup path");
        }
        // Real-time backups alone record provisioning only when a domain, COS or list changes.
        LOG.warning("rebuilding the imap store's directory " + kept.file() + " from the backup path "
            + engine.path().root() + ", which records " + accountIds.size() + " accounts but no provisioning and no"
            + " SmartScan (real-time backups only): the accounts' COS and aliases are taken from their logs, and no"
            + " domain without accounts, COS notes or distribution list is known: check them");
      } else {
        ProvisioningSnapshot record = records.get(records.size() - 1);
        LOG.warning("rebuilding the imap store's directory " + kept.file() + " from the backup path "
            + engine.path().root() + ": domains, classes of service and distribution lists as " + log
            + " recorded them at " + record.at() + " (sequence " + record.seq() + "); any created, changed or deleted"
            + " since then are not as they were: check them");
        provisioning(record, s);
      }
      BackupHistoryReader reader = new BackupHistoryReader(engine);
      for (String id : accountIds) {
        Optional<AccountSnapshot> last = reader.snapshotAt(id, null);
        // An excluded account is live on the server: its COS is the one that excludes it.
        if (last.isPresent() && (!last.get().deleted() || last.get().excluded() != null)) {
          account(last.get().account(), s, records, engine);
        }
      }
      return Optional.of(s);
    } catch (IOException e) {
      throw refused(kept, engine, "its records are unreadable (" + e.getMessage() + ")");
    }
  }

  /**
   * The server log that shows a SmartScan ran on the backup path (which then wrote provisioning
   * first): its record of a clean end, or the server configuration it records at its start.
   */
  private static Optional<Path> smartScanRecord(BackupEngine engine) throws IOException {
    for (Path log : List.of(engine.path().scanLog(), engine.path().configLog())) {
      if (!engine.serverRecords(log, com.fasterxml.jackson.databind.JsonNode.class).isEmpty()) {
        return Optional.of(log);
      }
    }
    return Optional.empty();
  }

  private static void provisioning(ProvisioningSnapshot p, KeptDirectory.State s) {
    // Domains that only existed through their accounts are kept too: losing one would lose more.
    for (Domain d : p.domains()) {
      s.domains().put(d.name(), d.createdAt() == null ? Instant.EPOCH : d.createdAt());
    }
    for (Cos c : p.coses()) {
      if (!c.equals(Provisioner.DEFAULT_COS)) {
        s.coses().put(c.name(), c);
      }
    }
    for (DistributionList l : p.lists()) {
      s.lists().put(l.name(), l);
    }
  }

  private static void account(Account a, KeptDirectory.State s, List<ProvisioningSnapshot> records,
      BackupEngine engine) {
    String cos = a.cos();
    if (cos != null && !cos.isBlank() && !cos.equals(Provisioner.DEFAULT_COS.name())) {
      s.coses().computeIfAbsent(cos, name -> lateCos(a, name, records, engine));
      s.accountCos().put(a.id(), cos);
    }
    if (!a.aliases().isEmpty()) {
      s.aliases().put(a.id(), List.copyOf(a.aliases()));
    }
  }

  /**
   * A COS an account's snapshot names but the last provisioning record lacks: created and assigned
   * while a SmartScan ran, after it recorded provisioning. Losing the account's COS would be worse
   * than a COS whose id or notes are not the recorded ones, so it is taken from an earlier record
   * naming it (with its id), else made again with a new id and no notes; a WARNING says which.
   */
  private static Cos lateCos(Account a, String name, List<ProvisioningSnapshot> records, BackupEngine engine) {
    String why = "account " + a.name() + " (" + a.id() + ") has COS " + name + ", which "
        + (records.isEmpty() ? "no record of " + engine.path().provisioningLog() + " names"
            : "the last record of " + engine.path().provisioningLog() + " lacks (made while a scan ran?)");
    for (int k = records.size() - 1; k >= 0; k--) {
      for (Cos c : records.get(k).coses()) {
        if (c.name().equals(name)) {
          LOG.warning(why + ": taken with its id " + c.id() + " from the record of " + records.get(k).at()
              + "; check its notes");
          return c;
        }
      }
    }
    Cos made = new Cos(UUID.randomUUID().toString(), name, "");
    LOG.warning(why + ": made again with a new id " + made.id() + " and no notes; set its notes again if it had"
        + " any (a backup exclusion is one)");
    return made;
  }

  private static RuntimeException refused(KeptDirectory kept, BackupEngine engine, String why) {
    return ErrorCode.IO_ERROR.exception("the imap store's directory " + kept.file() + " is missing and the backup path "
        + engine.path().root() + " cannot rebuild it: " + why + "; restore the file from a copy, or the store"
        + " from the backup with doRawRestore, before starting the worker");
  }
}
