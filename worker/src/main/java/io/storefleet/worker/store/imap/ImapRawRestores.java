package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.Mutation;
import jakarta.mail.Flags;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.iap.ProtocolException;

/**
 * Raw restore of folders and items on the imap store (docs/mailstores.md, "Raw and blob
 * restore"). A folder becomes a mailbox whose METADATA holds the recorded folder id before any
 * pass reads it, so the pass that journals it (FOLDER_CREATED) finds that id; a mountpoint becomes
 * a record with its recorded id. An item cannot be a message without its bytes: it is journalled
 * ITEM_CREATED as recorded and kept in the account's id map as awaiting its content, until the
 * blob restore APPENDs it ({@link AwaitedContent}).
 */
final class ImapRawRestores {
  private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

  private final AccountSessions sessions;
  private final ImapJournal journal;
  private final ImapShares shares;
  private final String server;

  ImapRawRestores(AccountSessions sessions, ImapJournal journal, ImapShares shares, String server) {
    this.sessions = sessions;
    this.journal = journal;
    this.shares = shares;
    this.server = server;
  }

  Folder folder(String accountId, Folder f) {
    if (f == null) {
      throw ErrorCode.BAD_VALUE.exception("no folder given to restore on " + server);
    }
    if (f.id() < Folder.FIRST_USER_ID) {
      throw ErrorCode.BAD_VALUE.exception("folder id " + f.id() + " is a system folder id; system folders come with"
          + " the account");
    }
    if (f.mount() == null && f.view() != null && !f.view().equalsIgnoreCase("message")) {
      throw NotBuilt.notMail("a " + f.view() + " folder (" + f.path() + ")", server);
    }
    String name = f.name() == null ? "" : f.name();
    if (name.contains("/") || Paths.segments("/" + name).size() != 1 || name.indexOf('\n') >= 0
        || name.indexOf('\r') >= 0) {
      throw ErrorCode.BAD_VALUE.exception("folder name '" + f.name() + "' must be one name without '/'");
    }
    if (f.mount() != null) {
      return sessions.with(accountId, o -> shares.restoreMount(o, f, place(o, f)));
    }
    return sessions.withCreate(accountId, o -> {
      MappedFolder parent = place(o, f);
      if (name.indexOf(o.separator()) >= 0) {
        throw ErrorCode.BAD_VALUE.exception("folder name '" + name + "' holds the IMAP hierarchy separator '"
            + o.separator() + "' of " + server);
      }
      String mailbox = parent.mailbox() == null ? name : parent.mailbox().name() + o.separator() + name;
      o.session().create(mailbox);
      // Before any pass lists the new mailbox: the pass takes its id from here, not from the id sequence.
      o.session().setMetadata(mailbox, FolderMapping.FOLDER_ID, Integer.toString(f.id()));
      return null;
    }, o -> {
      MappedFolder made = o.folders().stream().filter(x -> x.folder().id() == f.id()).findFirst()
          .orElseThrow(() -> ErrorCode.IO_ERROR.exception("folder " + f.path() + " was created on " + server
              + " but is not listed with id " + f.id()));
      return made.folder();
    });
  }

  /** Checks that the recorded id and path are free and the parent can hold it; returns the parent. */
  private static MappedFolder place(Opened o, Folder f) {
    if (o.map().idTaken(f.id()) || o.folders().stream().anyMatch(x -> x.folder().id() == f.id())) {
      throw ErrorCode.ALREADY_EXISTS.exception("id " + f.id() + " is already taken in " + o.account().name());
    }
    MappedFolder parent = o.folder(f.parentId());
    if (parent.folder().isMountpoint()) {
      throw ErrorCode.CONFLICT.exception("folder " + parent.folder().path() + " of " + o.account().name()
          + " is a mountpoint; folder " + f.id() + " cannot be in it");
    }
    String path = (parent.folder().id() == Folder.ROOT ? "" : parent.folder().path()) + "/" + f.name();
    o.byPath(path).ifPresent(x -> {
      throw ErrorCode.ALREADY_EXISTS.exception("folder " + x.folder().path() + " of " + o.account().name()
          + " already exists with id " + x.folder().id() + "; folder " + f.id() + " cannot take its path");
    });
    return parent;
  }

  /**
   * Records items as awaiting their content, in one journal commit. Flags and tags are kept as
   * IMAP keeps them, the arrival time to the second (INTERNALDATE's precision), so nothing changes
   * when the message arrives.
   */
  List<Item> items(String accountId, List<Item> items) {
    if (items == null) {
      throw ErrorCode.BAD_VALUE.exception("no item list given to restore on " + server);
    }
    return sessions.with(accountId, o -> {
      Set<Integer> ids = new HashSet<>();
      ChangeSet changes = new ChangeSet(o.account().id());
      for (Item i : items) {
        Item pending = checked(o, i, ids);
        changes.add(Mutation.ITEM_CREATED, i.id(), new JournalDetails.ItemCreated(pending.id(), pending.folderId(),
            ItemType.MESSAGE, pending.size(), pending.digest(), pending.flags(), pending.tags(), pending.subject(),
            pending.from(), pending.to(), pending.receivedAt(), null),
            e -> o.map().await(new Item(pending.id(), pending.folderId(), ItemType.MESSAGE, pending.size(),
                pending.digest(), pending.flags(), pending.tags(), e.seq(), e.time(), pending.receivedAt(),
                pending.subject(), pending.from(), pending.to())));
      }
      changes.commit(journal, o.map());
      return items.stream().map(i -> o.map().awaiting(i.id()).orElseThrow()).toList();
    });
  }

  private Item checked(Opened o, Item i, Set<Integer> ids) throws ProtocolException {
    String who = o.account().name();
    if (i == null || i.type() == null) {
      throw ErrorCode.BAD_VALUE.exception("an item to restore in " + who + " has no type");
    }
    if (i.type() != ItemType.MESSAGE) {
      throw NotBuilt.notMail("a " + i.type() + " item (" + i.id() + " of " + who + ")", server);
    }
    if (i.id() < Folder.FIRST_USER_ID) {
      throw ErrorCode.BAD_VALUE.exception("item id " + i.id() + " is below " + Folder.FIRST_USER_ID
          + ", where item ids of " + who + " start");
    }
    if (o.map().idTaken(i.id()) || o.folders().stream().anyMatch(x -> x.folder().id() == i.id()) || !ids.add(i.id())) {
      throw ErrorCode.ALREADY_EXISTS.exception("id " + i.id() + " is already taken in " + who);
    }
    o.messageFolder(i.folderId());
    String digest = i.digest() == null ? "" : i.digest().toLowerCase(Locale.ROOT);
    if (!DIGEST.matcher(digest).matches() || i.size() < 0) {
      throw ErrorCode.BAD_VALUE.exception("item " + i.id() + " of " + who + " needs a SHA-256 digest (64 hex digits)"
          + " and a size of 0 or more, got " + i.digest() + " / " + i.size());
    }
    Flags imap = ImapFlags.of(i.flags(), i.tags());
    Instant received = i.receivedAt() == null ? null : i.receivedAt().truncatedTo(ChronoUnit.SECONDS);
    return new Item(i.id(), i.folderId(), ItemType.MESSAGE, i.size(), digest, ImapFlags.flags(imap),
        ImapFlags.tags(ImapFlags.keywords(imap)), 0, null, received, text(i.subject()), text(i.from()), text(i.to()));
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }
}
