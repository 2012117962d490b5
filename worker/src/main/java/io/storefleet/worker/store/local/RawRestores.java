package io.storefleet.worker.store.local;

import static io.storefleet.worker.store.Mutation.ACCOUNT_CREATED;
import static io.storefleet.worker.store.Mutation.ALIAS_ADDED;
import static io.storefleet.worker.store.Mutation.COS_CREATED;
import static io.storefleet.worker.store.Mutation.DL_CREATED;
import static io.storefleet.worker.store.Mutation.DOMAIN_CREATED;
import static io.storefleet.worker.store.Mutation.FOLDER_CREATED;
import static io.storefleet.worker.store.Mutation.ITEM_CREATED;
import static io.storefleet.worker.store.Mutation.JOURNAL_ADVANCED;
import static io.storefleet.worker.store.Mutation.MOUNTPOINT_CREATED;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.DirectoryNames;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.DistributionList;
import io.storefleet.worker.store.Domain;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.Mountpoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Creation with the ids and dates a backup recorded (raw restore). Each method checks like its
 * create counterpart, and more (the given ids must be free), then commits the same journal
 * entry types, so replay and journal followers need nothing new.
 */
final class RawRestores {
  private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

  private final StoreContext ctx;

  RawRestores(StoreContext ctx) {
    this.ctx = ctx;
  }

  Domain domain(Domain d) {
    if (d == null) {
      throw ErrorCode.BAD_VALUE.exception("no domain given to restore");
    }
    String name = Names.domain(d.name());
    if (ctx.dir().domain(name).isPresent()) {
      throw ErrorCode.ALREADY_EXISTS.exception("domain " + name + " already exists on this store");
    }
    ctx.commit(new Change(DOMAIN_CREATED, null, 0, new Details.DomainCreated(name, d.createdAt())));
    return ctx.dir().domain(name).orElseThrow();
  }

  Cos cos(Cos c) {
    if (c == null) {
      throw ErrorCode.BAD_VALUE.exception("no COS given to restore");
    }
    String name = Names.cos(c.name());
    String id = DirectoryNames.restoredId(c.id(), "cos " + name);
    if (ctx.dir().cos(name).isPresent()) {
      throw ErrorCode.ALREADY_EXISTS.exception("cos " + name + " already exists on this store");
    }
    ctx.dir().cosById(id).ifPresent(other -> {
      throw ErrorCode.ALREADY_EXISTS.exception("cos id " + id + " is already used by cos " + other.name());
    });
    ctx.commit(new Change(COS_CREATED, null, 0, new Details.CosState(id, name, c.notes() == null ? "" : c.notes())));
    return ctx.dir().cos(name).orElseThrow();
  }

  DistributionList list(DistributionList l) {
    if (l == null) {
      throw ErrorCode.BAD_VALUE.exception("no distribution list given to restore");
    }
    String name = Names.address(l.name());
    String id = DirectoryNames.restoredId(l.id(), "distribution list " + name);
    ctx.requireDomain(Names.domainOf(name));
    Set<String> members = new LinkedHashSet<>();
    for (String m : l.members()) {
      members.add(Names.address(m));
    }
    ctx.requireFree(name);
    ctx.commit(new Change(DL_CREATED, null, 0, new Details.ListCreated(id, name, List.copyOf(members))));
    return ctx.dir().list(name).orElseThrow();
  }

  Account account(Account a) {
    if (a == null) {
      throw ErrorCode.BAD_VALUE.exception("no account given to restore");
    }
    String name = Names.address(a.name());
    String id = DirectoryNames.restoredId(a.id(), "account " + name);
    ctx.dir().account(id).ifPresent(other -> {
      throw ErrorCode.ALREADY_EXISTS.exception("account id " + id + " is already used by account " + other.name());
    });
    String domain = ctx.requireDomain(Names.domainOf(name)).name();
    Cos cos = ctx.requireCos(a.cos() == null || a.cos().isBlank() ? "default" : a.cos());
    Map<String, String> attrs = Names.attributes(a.attributes());
    ctx.requireFree(name);
    Set<String> aliases = new LinkedHashSet<>();
    for (String alias : a.aliases()) {
      String al = Names.address(alias);
      ctx.requireDomain(Names.domainOf(al));
      ctx.requireFree(al);
      if (al.equals(name) || !aliases.add(al)) {
        throw ErrorCode.BAD_VALUE.exception("account " + name + " lists the address " + al + " twice");
      }
    }
    String status = a.status() == null || a.status().isBlank() ? "active" : a.status().trim();
    List<Change> changes = new ArrayList<>();
    changes.add(new Change(ACCOUNT_CREATED, id, 0,
        new Details.AccountCreated(id, name, domain, cos.name(), status, attrs, a.createdAt())));
    for (String al : aliases) {
      changes.add(new Change(ALIAS_ADDED, id, 0, new Details.AliasAdded(al)));
    }
    ctx.commit(changes);
    return ctx.dir().account(id).orElseThrow();
  }

  Folder folder(String accountId, Folder f) {
    Owned o = ctx.mailbox(accountId);
    if (f == null) {
      throw ErrorCode.BAD_VALUE.exception("no folder given to restore in " + o.account().name());
    }
    if (f.id() < Folder.FIRST_USER_ID) {
      throw ErrorCode.BAD_VALUE.exception(
          "folder id " + f.id() + " is a system folder id; system folders come with account " + o.account().name());
    }
    o.box().folder(f.id()).ifPresent(existing -> {
      throw ErrorCode.ALREADY_EXISTS.exception(o.describe(existing) + " already has id " + f.id());
    });
    if (o.box().idTaken(f.id())) {
      throw ErrorCode.ALREADY_EXISTS.exception(
          "id " + f.id() + " is already an item of " + o.account().name() + "; a folder cannot take it");
    }
    Folder parent = o.requireFolder(f.parentId());
    if (parent.isMountpoint()) {
      throw ErrorCode.CONFLICT.exception(o.describe(parent) + " is a mountpoint; folder " + f.id() + " cannot be in it");
    }
    List<String> names = Names.path(f.name());
    if (names.size() != 1 || f.name().contains("/")) {
      throw ErrorCode.BAD_VALUE.exception("folder name '" + f.name() + "' must be one name without '/'");
    }
    String name = names.get(0);
    String path = Mailbox.childPath(parent, name);
    o.box().folder(path).ifPresent(existing -> {
      throw ErrorCode.ALREADY_EXISTS.exception(o.describe(existing) + " already exists; folder " + f.id()
          + " cannot take its path");
    });
    String view = Names.view(f.view());
    Mountpoint mount = f.mount() == null ? null : Sharing.checkTarget(o, f.mount());
    ctx.commit(new Change(mount == null ? FOLDER_CREATED : MOUNTPOINT_CREATED, o.account().id(), f.id(),
        new Details.FolderCreated(f.id(), parent.id(), name, view, mount)));
    return o.box().folder(f.id()).orElseThrow();
  }

  List<Item> items(String accountId, List<Item> items) {
    Owned o = ctx.mailbox(accountId);
    if (items == null) {
      throw ErrorCode.BAD_VALUE.exception("no item list given to restore in " + o.account().name());
    }
    Set<Integer> ids = new HashSet<>();
    List<Change> changes = new ArrayList<>(items.size());
    for (Item i : items) {
      if (i == null || i.type() == null) {
        throw ErrorCode.BAD_VALUE.exception("an item to restore in " + o.account().name() + " has no type");
      }
      if (i.id() < Folder.FIRST_USER_ID) {
        throw ErrorCode.BAD_VALUE.exception(
            "item id " + i.id() + " is below " + Folder.FIRST_USER_ID + ", where item ids of " + o.account().name()
                + " start");
      }
      if (o.box().idTaken(i.id()) || !ids.add(i.id())) {
        throw ErrorCode.ALREADY_EXISTS.exception("id " + i.id() + " is already taken in " + o.account().name());
      }
      Folder f = o.requireWritableFolder(i.folderId());
      String digest = i.digest() == null ? "" : i.digest().toLowerCase(Locale.ROOT);
      if (!DIGEST.matcher(digest).matches() || i.size() < 0) {
        throw ErrorCode.BAD_VALUE.exception("item " + i.id() + " of " + o.account().name()
            + " needs a SHA-256 digest (64 hex digits) and a size of 0 or more, got " + i.digest() + " / " + i.size());
      }
      changes.add(new Change(ITEM_CREATED, o.account().id(), i.id(), new Details.ItemCreated(
          i.id(), f.id(), i.type(), i.size(), digest, Names.flags(i.flags()), Names.tags(i.tags()),
          text(i.subject()), text(i.from()), text(i.to()), i.receivedAt())));
    }
    ctx.commit(changes);
    return changes.stream().map(ch -> o.box().item(ch.itemId()).orElseThrow()).toList();
  }

  long advance(long past) {
    if (past < 0) {
      throw ErrorCode.BAD_VALUE.exception("journal position " + past + " is negative");
    }
    long last = ctx.state().lastSequence();
    if (last >= past) {
      return last;
    }
    ctx.commitAt(past + 1, new Change(JOURNAL_ADVANCED, null, 0, new Details.JournalAdvanced(last)));
    return ctx.state().lastSequence();
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }
}
