package io.storefleet.worker.backup.command;

import io.storefleet.protocol.catalogue.BackupCommand;
import io.storefleet.protocol.catalogue.Table;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.parse.DateArg;
import io.storefleet.protocol.parse.DateText;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.worker.backup.format.AccountSnapshot;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BlobReader;
import io.storefleet.worker.backup.format.BackupHistoryReader;
import io.storefleet.worker.backup.format.BackupPath;
import io.storefleet.worker.backup.format.BlobPacks;
import io.storefleet.worker.backup.format.ItemState;
import io.storefleet.worker.backup.format.ProvisioningSnapshot;
import io.storefleet.worker.backup.scan.CosBackupMarker;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.ImmediateCommand;
import io.storefleet.worker.command.Replies;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The backup's read-only commands (getItem, getBackupInfo, getAvailableAccounts, getAccountInfo,
 * getAvailableDomains) and the COS backup switch. They read files, so they run on worker threads.
 */
public final class BackupQueries {
  private final Vertx vertx;
  private final Replies replies;
  private final BackupContext b;
  private final RemoteCopy remote;

  /** @param remote the off-site copy getBackupInfo shows */
  public BackupQueries(Vertx vertx, Replies replies, BackupContext b, RemoteCopy remote) {
    this.vertx = vertx;
    this.replies = replies;
    this.b = b;
    this.remote = remote;
  }

  public void register(CommandRegistry registry) {
    registry.immediate(BackupCommand.GET_ITEM, blocking(this::getItem));
    registry.immediate(BackupCommand.GET_BACKUP_INFO, blocking(this::getBackupInfo));
    registry.immediate(BackupCommand.GET_AVAILABLE_ACCOUNTS, blocking(this::getAvailableAccounts));
    registry.immediate(BackupCommand.GET_ACCOUNT_INFO, blocking(this::getAccountInfo));
    registry.immediate(BackupCommand.GET_AVAILABLE_DOMAINS, blocking(this::getAvailableDomains));
    registry.immediate(BackupCommand.DO_ENABLE_DISABLE_COS, blocking(this::enableDisableCos));
    registry.immediate(BackupCommand.GET_COS_BACKUP_STATUS, blocking(this::cosStatus));
    new ServerConfigQuery(b).register(registry, vertx, replies);
  }

  interface Query {
    Object[] answer(ParsedCommand cmd) throws IOException;
  }

  private ImmediateCommand blocking(Query q) {
    return (cmd, ctx) -> vertx.executeBlocking((Callable<io.storefleet.protocol.wire.CommandReply>) () -> {
      Object[] r = q.answer(cmd);
      return replies.result(r[0], (String) r[1]);
    });
  }

  private Instant instant(DateArg d) {
    return d == null ? null : d.instant(b.clock().getZone());
  }

  private String shown(Instant t) {
    return DateText.of(t, b.clock().getZone());
  }

  private String accountId(BackupEngine e, String given) throws IOException {
    Optional<Account> live = b.store().account(given);
    if (live.isPresent() && e.knows(live.get().id())) {
      return live.get().id();
    }
    return new BackupHistoryReader(e).findAccount(given).orElseThrow(() -> ErrorCode.UNKNOWN_ACCOUNT.exception(
        "account " + given + " is not in the backup at " + e.path().root()
            + "; list what it holds with 'storefleet backup getAvailableAccounts'", b.serverId()));
  }

  private Object[] getItem(ParsedCommand cmd) throws IOException {
    return b.onBackupPath(cmd.string("backup_path"), "backup_path", e -> {
      if (cmd.has("blobs_archive")) {
        remote.validateArchive(cmd.string("blobs_archive"), b.serverId());
      }
      String id = accountId(e, cmd.required("account"));
      int item = cmd.intValue("item", -1);
      List<ItemState> all = new ArrayList<>();
      for (ItemState s : new BackupHistoryReader(e).itemStates(id)) {
        if (s.id() == item) {
          all.add(s);
        }
      }
      if (all.isEmpty()) {
        throw ErrorCode.NOT_FOUND.exception("item " + item + " of " + cmd.required("account")
            + " is not in the backup; find items with 'storefleet backup doItemSearch " + cmd.required("account") + "'",
            b.serverId());
      }
      DateArg date = cmd.date("date");
      List<ItemState> shown;
      if (date != null && date.is("all")) {
        shown = all;
      } else if (date == null || date.is("last")) {
        shown = List.of(all.get(all.size() - 1));
      } else {
        Instant at = instant(date);
        ItemState found = null;
        for (ItemState s : all) {
          if (!s.since().isAfter(at)) {
            found = s;
          }
        }
        if (found == null) {
          throw ErrorCode.NOT_FOUND.exception("item " + item + " did not exist yet at " + shown(at)
              + "; its first state is from " + shown(all.get(0).since()), b.serverId());
        }
        shown = List.of(found);
      }
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("accountId", id);
      data.put("item", item);
      data.put("states", shown);
      StringBuilder t = new StringBuilder();
      if (cmd.bool("dump_blob")) {
        ItemState s = shown.get(shown.size() - 1);
        if (!s.hasBlob()) {
          throw ErrorCode.NOT_FOUND.exception("item " + item + " was backed up in blobless mode at "
              + shown(s.since()) + "; its content is not in the backup", b.serverId());
        }
        byte[] raw;
        try (BlobReader blobs = cmd.has("blobs_archive") ? remote.blobs(cmd.string("blobs_archive"))
            : BlobReader.of(e)) {
          raw = blobs.read(s.digest());
        }
        data.put("blobBase64", Base64.getEncoder().encodeToString(raw));
        // Mail need not be text in any charset: the bytes travel base64-encoded, and the CLI
        // writes them unchanged. The text only says what they are.
        return new Object[] {data, raw.length + " bytes of item " + item + " (state of " + shown(s.since())
            + "), in blobBase64\n"};
      }
      t.append("item ").append(item).append(" of account ").append(id).append(", ")
          .append(all.size()).append(" state(s) in the backup\n");
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"SINCE", "SEQ", "TYPE", "FOLDER", "FLAGS", "TAGS", "SIZE", "DELETED", "BLOB", "SUBJECT"});
      for (ItemState s : shown) {
        rows.add(new String[] {shown(s.since()), Long.toString(s.seq()), s.type().name().toLowerCase(),
            Integer.toString(s.folderId()), String.join(",", s.flags()), String.join(",", s.tags()),
            Long.toString(s.size()), s.deleted() ? "yes" : "no",
            s.hasBlob() ? s.digest().substring(0, 12) : "blobless", s.subject() == null ? "" : s.subject()});
      }
      t.append(Table.render(rows));
      return new Object[] {data, t.toString()};
    });
  }

  private Object[] getBackupInfo(ParsedCommand cmd) throws IOException {
    return b.onBackupPath(cmd.string("backup_path"), "backup_path", e -> {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("backupPath", e.path().root().toString());
      d.put("format", BackupPath.FORMAT + " " + BackupPath.VERSION);
      d.put("server", e.path().serverId());
      BlobPacks blobs = e.blobs();
      long raw = blobs.committed().values().stream().mapToLong(BlobPacks.Location::rawSize).sum();
      d.put("blobs", blobs.count());
      d.put("packs", blobs.packFiles().size());
      d.put("bytesRepairedAtOpen", blobs.repairedBytes());
      d.put("blobBytesStored", blobs.storedBytes());
      d.put("blobBytesRaw", raw);
      d.put("metadataBytes", metadataBytes(e));
      BackupHistoryReader reader = new BackupHistoryReader(e);
      int live = 0;
      int deleted = 0;
      for (String id : e.accountIds()) {
        Optional<AccountSnapshot> s = reader.snapshotAt(id, null);
        if (s.isPresent() && !s.get().deleted()) {
          live++;
        } else {
          deleted++;
        }
      }
      d.put("accounts", live);
      d.put("accountsDeleted", deleted);
      List<Map> scans = e.serverRecords(e.path().scanLog(), Map.class);
      d.put("lastSmartScan", scans.isEmpty() ? null : scans.get(scans.size() - 1).get("at"));
      if (e == b.engine()) {
        d.put("bloblessMode", e.bloblessMode());
        d.put("retentionDays", b.retentionDays().getAsInt());
        d.put("realtimeScanner", b.realtime() != null && b.realtime().running() ? "running" : "stopped");
        d.put("realtimePosition", b.realtime() == null ? 0 : b.realtime().cursor());
        d.put("storePosition", b.store().lastSequence());
        Map<String, Object> volume = remote.describe();
        d.put("remoteVolume", volume == null ? "none" : volume);
      }
      List<String[]> rows = new ArrayList<>();
      d.forEach((k, v) -> rows.add(new String[] {k, String.valueOf(v)}));
      return new Object[] {d, Table.render(rows)};
    });
  }

  private static long metadataBytes(BackupEngine e) throws IOException {
    long n = 0;
    for (var dir : List.of(e.path().accountsDir(), e.path().serverDir())) {
      if (Files.isDirectory(dir)) {
        try (var w = Files.walk(dir)) {
          for (var p : w.filter(Files::isRegularFile).toList()) {
            n += Files.size(p);
          }
        }
      }
    }
    return n + BackupOperations.size(e.path().blobIndex());
  }

  private Object[] getAvailableAccounts(ParsedCommand cmd) throws IOException {
    return b.onBackupPath(cmd.string("backup_path"), "backup_path", e -> {
      Instant at = instant(cmd.date("date"));
      BackupHistoryReader reader = new BackupHistoryReader(e);
      List<Map<String, Object>> out = new ArrayList<>();
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"ACCOUNT", "ID", "COS", "STATUS", "LAST RECORDED"});
      List<AccountSnapshot> found = new ArrayList<>();
      for (String id : e.accountIds()) {
        Optional<AccountSnapshot> s = reader.snapshotAt(id, at);
        if (s.isPresent() && !(at != null && s.get().deleted())) {
          found.add(s.get());
        }
      }
      // Listed by name, as operators look them up; ids are in storage order only.
      found.sort(java.util.Comparator.comparing((AccountSnapshot s) -> s.account().name())
          .thenComparing(s -> s.account().id()));
      for (AccountSnapshot snap : found) {
        Account a = snap.account();
        String status = snap.deleted() ? (snap.excluded() != null ? "excluded" : "deleted") : a.status();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", a.name());
        m.put("id", a.id());
        m.put("cos", a.cos());
        m.put("status", status);
        m.put("at", snap.at().toString());
        out.add(m);
        rows.add(new String[] {a.name(), a.id(), a.cos(), status, shown(snap.at())});
      }
      return new Object[] {out, out.isEmpty() ? "no accounts in the backup" : Table.render(rows)};
    });
  }

  private Object[] getAccountInfo(ParsedCommand cmd) throws IOException {
    return b.onBackupPath(cmd.string("backup_path"), "backup_path", e -> {
      String id = accountId(e, cmd.required("account"));
      BackupHistoryReader reader = new BackupHistoryReader(e);
      Instant at = instant(cmd.date("date"));
      AccountSnapshot s = reader.snapshotAt(id, at).orElseThrow(() -> ErrorCode.NOT_FOUND.exception(
          "account " + cmd.required("account") + " was not in the backup yet at " + shown(at), b.serverId()));
      Map<Integer, ItemState> latest = new LinkedHashMap<>();
      long states = 0;
      Instant first = null;
      BackupHistoryReader.ItemsLog items = reader.items(id);
      for (ItemState st : items.states()) {
        if (at != null && st.since().isAfter(at)) {
          continue;
        }
        states++;
        first = first == null ? st.since() : first;
        latest.put(st.id(), st);
      }
      long liveItems = latest.values().stream().filter(x -> !x.deleted()).count();
      long liveBytes = latest.values().stream().filter(x -> !x.deleted()).mapToLong(ItemState::size).sum();
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("account", s.account());
      d.put("deleted", s.deleted());
      d.put("excluded", s.excluded());
      d.put("needsAccountScan", s.uncertain());
      d.put("folders", s.folders().size());
      d.put("grants", s.grants().size());
      d.put("items", liveItems);
      d.put("itemsDeleted", latest.size() - liveItems);
      d.put("itemBytes", liveBytes);
      d.put("states", states);
      d.put("firstState", first == null ? null : first.toString());
      // A scan that found only item changes recorded a position after them instead of a snapshot.
      Instant recorded = s.at();
      long position = s.seq();
      Optional<BackupHistoryReader.Recorded> later = items.lastPosition(at);
      if (later.isPresent() && later.get().seq() > position && !s.deleted()) {
        recorded = later.get().at();
        position = later.get().seq();
      }
      d.put("lastRecorded", recorded.toString());
      d.put("journalPosition", position);
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"name", s.account().name()});
      rows.add(new String[] {"id", s.account().id()});
      rows.add(new String[] {"cos", s.account().cos()});
      rows.add(new String[] {"status", s.deleted() ? (s.excluded() != null ? s.excluded() : "deleted") : s.account().status()});
      rows.add(new String[] {"aliases", String.join(",", s.account().aliases())});
      rows.add(new String[] {"folders", Integer.toString(s.folders().size())});
      rows.add(new String[] {"shares given", Integer.toString(s.grants().size())});
      rows.add(new String[] {"items", liveItems + " (" + liveBytes + " bytes), " + (latest.size() - liveItems) + " deleted"});
      rows.add(new String[] {"item states", Long.toString(states)});
      rows.add(new String[] {"first state", shown(first)});
      rows.add(new String[] {"last recorded", shown(recorded)});
      rows.add(new String[] {"needs account scan", s.uncertain() == null ? "no" : "yes: " + s.uncertain()});
      return new Object[] {d, Table.render(rows)};
    });
  }

  private Object[] getAvailableDomains(ParsedCommand cmd) throws IOException {
    return b.onBackupPath(cmd.required("backup_path"), "backup_path", e -> {
      Instant at = instant(cmd.date("date"));
      ProvisioningSnapshot found = null;
      for (ProvisioningSnapshot s : e.serverRecords(e.path().provisioningLog(), ProvisioningSnapshot.class)) {
        if (at == null || !s.at().isAfter(at)) {
          found = s;
        }
      }
      List<String> names = new ArrayList<>();
      if (found != null) {
        found.domains().forEach(dm -> names.add(dm.name()));
      }
      return new Object[] {names, names.isEmpty() ? "no domains in the backup" + (at == null ? "" : " at " + shown(at))
          : String.join("\n", names)};
    });
  }

  private Object[] enableDisableCos(ParsedCommand cmd) {
    String name = cmd.required("cos_name");
    Cos cos = b.store().cos(name).orElseThrow(() -> ErrorCode.NOT_FOUND.exception(
        "cos " + name + " not found on server " + b.serverId() + "; list them with 'storefleet backup getCOSBackupStatus'",
        b.serverId()));
    boolean disable = "disable".equals(cmd.required("action"));
    String notes = disable ? CosBackupMarker.withMarker(cos.notes()) : CosBackupMarker.withoutMarker(cos.notes());
    Cos updated = notes.equals(cos.notes()) ? cos : b.store().setCosNotes(cos.name(), notes);
    String text = "backup " + (disable ? "disabled" : "enabled") + " for COS " + cos.name() + " on " + b.serverId()
        + (disable ? "; its accounts are skipped by the real-time scanner and export, and age out of the backup"
            + " with purge" : "; the next SmartScan backs its accounts up again");
    return new Object[] {updated, text};
  }

  private Object[] cosStatus(ParsedCommand cmd) {
    List<Map<String, Object>> out = new ArrayList<>();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"COS", "BACKUP", "ACCOUNTS"});
    List<Account> accounts = b.store().accounts();
    for (Cos c : b.store().coses()) {
      long n = accounts.stream().filter(a -> a.cos().equalsIgnoreCase(c.name())).count();
      String state = CosBackupMarker.disabled(c) ? "disabled" : "enabled";
      out.add(Map.of("cos", c.name(), "backup", state, "accounts", n));
      rows.add(new String[] {c.name(), state, Long.toString(n)});
    }
    return new Object[] {out, Table.render(rows)};
  }
}
