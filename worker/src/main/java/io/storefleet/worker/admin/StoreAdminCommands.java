package io.storefleet.worker.admin;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.catalogue.AdminCommand;
import io.storefleet.protocol.catalogue.Table;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.parse.ParsedCommand;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.protocol.wire.CommandReply;
import io.storefleet.worker.command.CommandRegistry;
import io.storefleet.worker.command.Replies;
import io.storefleet.worker.config.PathPolicy;
import io.storefleet.worker.shares.OpenedFolder;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Administration of the embedded store, standing in for zmprov and zmmailbox. Account changes
 * are written to the cluster directory before the reply, so the next routed command finds them.
 */
public final class StoreAdminCommands {
  private final Vertx vertx;
  private final String serverId;
  private final MailStore store;
  private final ClusterDirectory directory;
  private final PathPolicy paths;
  private final Replies replies;
  private final ShareResolver shares;

  public StoreAdminCommands(
      Vertx vertx,
      String serverId,
      MailStore store,
      ClusterDirectory directory,
      PathPolicy paths,
      Replies replies,
      ShareResolver shares) {
    this.vertx = vertx;
    this.serverId = serverId;
    this.store = store;
    this.directory = directory;
    this.paths = paths;
    this.replies = replies;
    this.shares = shares;
  }

  private Future<CommandReply> blocking(Callable<CommandReply> work) {
    return vertx.executeBlocking(work);
  }

  public void register(CommandRegistry r) {
    r.immediate(AdminCommand.CREATE_DOMAIN, (c, x) -> blocking(() -> {
      var d = store.createDomain(c.required("domain"));
      return replies.result(d, "domain " + d.name() + " created on " + serverId);
    }));
    r.immediate(AdminCommand.DELETE_DOMAIN, (c, x) -> blocking(() -> {
      store.deleteDomain(c.required("domain"));
      return replies.result(Map.of("deleted", c.required("domain")), "domain " + c.required("domain") + " deleted on " + serverId);
    }));
    r.immediate(AdminCommand.CREATE_COS, (c, x) -> blocking(() -> {
      var cos = store.createCos(c.required("cos"), c.string("notes"));
      return replies.result(cos, "COS " + cos.name() + " created on " + serverId);
    }));
    r.immediate(AdminCommand.DELETE_COS, (c, x) -> blocking(() -> {
      store.deleteCos(c.required("cos"));
      return replies.result(Map.of("deleted", c.required("cos")), "COS " + c.required("cos") + " deleted on " + serverId);
    }));
    r.immediate(AdminCommand.CREATE_ACCOUNT, this::createAccount);
    r.immediate(AdminCommand.DELETE_ACCOUNT, this::deleteAccount);
    r.immediate(AdminCommand.ADD_ALIAS, this::addAlias);
    r.immediate(AdminCommand.CREATE_DISTRIBUTION_LIST, (c, x) -> blocking(() -> {
      var dl = store.createDistributionList(c.required("list"), c.list("members"));
      return replies.result(dl, "distribution list " + dl.name() + " created on " + serverId);
    }));
    r.immediate(AdminCommand.DELETE_DISTRIBUTION_LIST, (c, x) -> blocking(() -> {
      store.deleteDistributionList(c.required("list"));
      return replies.result(Map.of("deleted", c.required("list")), "distribution list " + c.required("list") + " deleted on " + serverId);
    }));
    r.immediate(AdminCommand.LIST_ACCOUNTS, (c, x) -> blocking(() -> {
      List<Account> accounts = store.accounts();
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"SERVER", "ACCOUNT", "ID", "COS", "STATUS"});
      for (Account a : accounts) {
        rows.add(new String[] {serverId, a.name(), a.id(), a.cos(), a.status()});
      }
      return replies.result(accounts, Table.render(rows));
    }));
    r.immediate(AdminCommand.CREATE_FOLDER, (c, x) -> blocking(() -> {
      Account a = account(c);
      Folder f = store.createFolder(a.id(), c.required("path"), c.string("view"));
      return replies.result(f, "folder " + f.path() + " (id " + f.id() + ") in " + a.name());
    }));
    r.immediate(AdminCommand.LIST_FOLDERS, (c, x) -> blocking(() -> {
      Account a = account(c);
      List<Folder> folders = store.folders(a.id());
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"ID", "PATH", "VIEW", "ITEMS", "MOUNTS"});
      for (Folder f : folders) {
        rows.add(new String[] {
          Integer.toString(f.id()), f.path(), f.view(),
          f.isMountpoint() ? "" : Integer.toString(store.items(a.id(), f.id()).size()),
          f.isMountpoint() ? f.mount().ownerName() + ":" + f.mount().remoteFolderId() : ""});
      }
      return replies.result(folders, Table.render(rows));
    }));
    r.immediate(AdminCommand.LIST_ITEMS, this::listItems);
    r.immediate(AdminCommand.INJECT_MESSAGES, (c, x) -> blocking(() -> {
      Account a = account(c);
      var source = paths.check(c.required("source"), "source");
      Folder f = store.createFolder(a.id(), c.required("folder"), "message");
      List<byte[]> raws = io.storefleet.worker.store.local.MessageSources.read(source);
      List<Item> added = store.addMessages(a.id(), f.id(), raws, set(c.list("flags")), set(c.list("tags")));
      return replies.result(
          Map.of("account", a.name(), "folder", f.path(), "added", added.size(),
              "firstId", added.isEmpty() ? 0 : added.get(0).id(),
              "lastId", added.isEmpty() ? 0 : added.get(added.size() - 1).id()),
          added.size() + " message(s) added to " + a.name() + " " + f.path());
    }));
    r.immediate(AdminCommand.MOVE_ITEM, (c, x) -> blocking(() -> {
      Account a = account(c);
      Folder f = folder(a, c.required("folder"));
      Item i = store.moveItem(a.id(), c.intValue("item_id", 0), f.id());
      return replies.result(i, "item " + i.id() + " moved to " + f.path());
    }));
    r.immediate(AdminCommand.FLAG_ITEM, (c, x) -> blocking(() -> {
      Account a = account(c);
      Item i = store.setFlags(a.id(), c.intValue("item_id", 0), noneOrSet(c.list("flags")));
      return replies.result(i, "item " + i.id() + " flags: " + String.join(",", i.flags()));
    }));
    r.immediate(AdminCommand.TAG_ITEM, (c, x) -> blocking(() -> {
      Account a = account(c);
      Item i = store.setTags(a.id(), c.intValue("item_id", 0), noneOrSet(c.list("tags")));
      return replies.result(i, "item " + i.id() + " tags: " + String.join(",", i.tags()));
    }));
    r.immediate(AdminCommand.DELETE_ITEM, (c, x) -> blocking(() -> {
      Account a = account(c);
      int id = c.intValue("item_id", 0);
      store.deleteItem(a.id(), id);
      return replies.result(Map.of("deleted", id), "item " + id + " deleted from " + a.name());
    }));
    r.immediate(AdminCommand.EMPTY_FOLDER, (c, x) -> blocking(() -> {
      Account a = account(c);
      Folder f = folder(a, c.required("folder"));
      int n = store.emptyFolder(a.id(), f.id());
      return replies.result(Map.of("deleted", n), n + " item(s) deleted from " + a.name() + " " + f.path());
    }));
    r.immediate(AdminCommand.GRANT_FOLDER, this::grantFolder);
    r.immediate(AdminCommand.MOUNT_SHARE, this::mountShare);
    r.immediate(AdminCommand.LIST_SHARES, (c, x) -> blocking(() -> {
      Account a = account(c);
      var grants = store.grants(a.id());
      var mounts = store.folders(a.id()).stream().filter(Folder::isMountpoint).toList();
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"KIND", "FOLDER", "OTHER ACCOUNT", "DETAIL"});
      for (var g : grants) {
        rows.add(new String[] {"grant", Integer.toString(g.folderId()), g.granteeName(), "rights " + g.rights()});
      }
      for (var m : mounts) {
        rows.add(new String[] {"mountpoint", m.path(), m.mount().ownerName(), "remote folder " + m.mount().remoteFolderId()});
      }
      return replies.result(Map.of("grants", grants, "mountpoints", mounts), Table.render(rows));
    }));
    r.immediate(AdminCommand.GET_JOURNAL, (c, x) -> blocking(() -> {
      var entries = store.journal(c.integer("since", 0), c.intValue("limit", 100));
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"SEQ", "TIME", "TYPE", "ACCOUNT", "ITEM"});
      for (var e : entries) {
        rows.add(new String[] {Long.toString(e.seq()), e.time().toString(), e.type().name(),
          e.accountId() == null ? "" : e.accountId(), e.itemId() == 0 ? "" : Integer.toString(e.itemId())});
      }
      return replies.result(entries, Table.render(rows));
    }));
  }

  /** A folder's items; a mountpoint's are its owner folder's, read on the owner's server. */
  private Future<CommandReply> listItems(ParsedCommand c, io.storefleet.worker.command.RequestContext x) {
    return vertx
        .executeBlocking(() -> {
          Account a = account(c);
          return Map.entry(a, folder(a, c.required("folder")));
        })
        .compose(af -> {
          Folder f = af.getValue();
          if (!f.isMountpoint()) {
            return blocking(() -> {
              List<Item> items = store.items(af.getKey().id(), f.id());
              return replies.result(items, itemTable(items));
            });
          }
          return shares.open(af.getKey(), f).compose(json -> blocking(() -> {
            OpenedFolder o = io.storefleet.protocol.codec.Json.decode(json, OpenedFolder.class);
            return replies.result(o.items(), "mountpoint " + f.path() + " of " + af.getKey().name() + " shows "
                + o.ownerName() + " " + o.path() + " (folder " + o.folderId() + ")\n" + itemTable(o.items()));
          }));
        });
  }

  private static String itemTable(List<Item> items) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ID", "TYPE", "SIZE", "FLAGS", "TAGS", "FROM", "SUBJECT"});
    for (Item i : items) {
      rows.add(new String[] {
        Integer.toString(i.id()), i.type().name().toLowerCase(), Long.toString(i.size()),
        String.join(",", i.flags()), String.join(",", i.tags()), i.from(), i.subject()});
    }
    return Table.render(rows);
  }

  private Future<CommandReply> createAccount(ParsedCommand c, io.storefleet.worker.command.RequestContext x) {
    String name = c.required("account");
    return directory
        .locate(name)
        .compose(existing -> {
          if (existing.isPresent() && !existing.get().server().equals(serverId)) {
            return Future.failedFuture(ErrorCode.ALREADY_EXISTS.exception(
                "account " + name + " already exists on server " + existing.get().server()
                    + "; choose another name", existing.get().server()));
          }
          return vertx.executeBlocking(() -> {
            Map<String, String> attrs = c.has("display_name") ? Map.of("displayName", c.string("display_name")) : Map.of();
            return store.createAccount(name, c.string("cos"), attrs);
          });
        })
        .compose(a -> directory
            .putAccount(new AccountLocation(a.name(), a.id(), serverId), a.aliases())
            .map(v -> replies.result(a, "account " + a.name() + " (" + a.id() + ") created on " + serverId)));
  }

  private Future<CommandReply> deleteAccount(ParsedCommand c, io.storefleet.worker.command.RequestContext x) {
    return vertx
        .executeBlocking(() -> {
          Account a = account(c);
          store.deleteAccount(a.id());
          return a;
        })
        .compose(a -> {
          List<String> names = new ArrayList<>(a.aliases());
          names.add(a.name());
          return directory.removeAccount(serverId, a.id(), names)
              .map(v -> replies.result(a, "account " + a.name() + " deleted from " + serverId));
        });
  }

  private Future<CommandReply> addAlias(ParsedCommand c, io.storefleet.worker.command.RequestContext x) {
    String alias = c.required("alias");
    return directory
        .locate(alias)
        .compose(existing -> {
          if (existing.isPresent()) {
            return Future.failedFuture(ErrorCode.ALREADY_EXISTS.exception(
                "address " + alias + " is already used by " + existing.get().name() + " on server "
                    + existing.get().server() + "; choose another alias"));
          }
          return vertx.executeBlocking(() -> store.addAlias(account(c).id(), alias));
        })
        .compose(a -> directory
            .putAccount(new AccountLocation(a.name(), a.id(), serverId), a.aliases())
            .map(v -> replies.result(a, "alias " + alias + " added to " + a.name())));
  }

  private Future<CommandReply> grantFolder(ParsedCommand c, io.storefleet.worker.command.RequestContext x) {
    String grantee = c.required("grantee");
    return directory
        .locate(grantee)
        .compose(loc -> {
          if (loc.isEmpty()) {
            return Future.failedFuture(ErrorCode.UNKNOWN_ACCOUNT.exception(
                "grantee " + grantee + " does not exist on any server; create it first"));
          }
          return vertx.executeBlocking(() -> {
            Account owner = account(c);
            Folder f = folder(owner, c.required("folder"));
            var g = store.grant(owner.id(), f.id(), loc.get().accountId(), loc.get().name(), c.string("rights"));
            return replies.result(g, owner.name() + " " + f.path() + " shared with " + loc.get().name()
                + " (server " + loc.get().server() + "), rights " + g.rights());
          });
        });
  }

  private Future<CommandReply> mountShare(ParsedCommand c, io.storefleet.worker.command.RequestContext x) {
    String owner = c.required("owner");
    String remotePath = c.required("remote_folder");
    return shares
        .remoteFolder(owner, remotePath, x.requester())
        .compose(target -> vertx.executeBlocking(() -> {
          Account grantee = account(c);
          Folder m = store.mount(grantee.id(), c.required("name"), target);
          return replies.result(m, grantee.name() + " " + m.path() + " mounts " + owner + " " + remotePath
              + " (folder " + target.remoteFolderId() + ")");
        }));
  }

  private Account account(ParsedCommand c) {
    String name = c.required("account");
    Optional<Account> a = store.account(name);
    return a.orElseThrow(() -> ErrorCode.UNKNOWN_ACCOUNT.exception(
        "account " + name + " is not on server " + serverId, serverId));
  }

  private Folder folder(Account a, String path) {
    return store.folder(a.id(), path).orElseThrow(() -> ErrorCode.NOT_FOUND.exception(
        "folder " + path + " does not exist in " + a.name() + "; create it with 'storefleet admin createFolder "
            + a.name() + " " + path + "'", serverId));
  }

  private static Set<String> set(List<String> values) {
    return new LinkedHashSet<>(values);
  }

  private static Set<String> noneOrSet(List<String> values) {
    if (values.size() == 1 && values.get(0).equalsIgnoreCase("none")) {
      return Set.of();
    }
    return set(values);
  }
}
