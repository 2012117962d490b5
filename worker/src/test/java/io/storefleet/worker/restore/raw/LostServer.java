package io.storefleet.worker.restore.raw;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.DistributionList;
import io.storefleet.worker.store.Domain;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.Mountpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A server worth losing: domains, COS (one with backup disabled), a list, accounts with aliases
 * and attributes, nested folders, a mountpoint and a grant, items of several types with flags,
 * tags, moves and deletions, a deleted account; all backed up by the real-time scanner and a
 * SmartScan. What it held is kept to compare the rebuilt server with.
 */
final class LostServer {
  /** An item as the tests compare it: everything but its journal position and change time. */
  record ItemView(int id, int folderId, ItemType type, long size, String digest, Set<String> flags, Set<String> tags,
      Instant receivedAt, String subject, String from, String to) {
    static ItemView of(Item i) {
      return new ItemView(i.id(), i.folderId(), i.type(), i.size(), i.digest(), i.flags(), i.tags(), i.receivedAt(),
          i.subject(), i.from(), i.to());
    }
  }

  /** Everything a restore must bring back, per account name. */
  record Expected(List<Domain> domains, List<Cos> coses, List<DistributionList> lists, Map<String, Account> accounts,
      Map<String, List<Folder>> folders, Map<String, List<ItemView>> items, Map<String, List<Grant>> grants,
      Map<String, byte[]> contents) {

    long itemsAndUserFolders() {
      long n = 0;
      for (String name : accounts.keySet()) {
        n += items.get(name).size() + folders.get(name).stream().filter(f -> f.id() >= Folder.FIRST_USER_ID).count();
      }
      return n;
    }

    /** Asserts that a store holds every account, folder, item and grant of this server. */
    void assertMailboxes(MailStore s) {
      for (Account a : accounts.values()) {
        assertEquals(a, s.account(a.id()).orElseThrow(), "account " + a.name());
        assertEquals(folders.get(a.name()), s.folders(a.id()), "folders of " + a.name());
        assertEquals(items.get(a.name()), s.items(a.id()).stream().map(ItemView::of).toList(), "items of " + a.name());
        assertEquals(grants.get(a.name()), s.grants(a.id()), "grants of " + a.name());
      }
    }
  }

  private LostServer() {}

  static byte[] message(String who, int n) {
    return ("From: sender" + n + "@example.org\r\nTo: " + who + "\r\nSubject: " + who + " message " + n
        + "\r\nMessage-ID: <" + who + n + "@test>\r\n\r\nBody " + n + " for " + who + ".\r\n").getBytes(UTF_8);
  }

  /** Fills the fixture's store and backs it up; returns what the restore must bring back. */
  static Expected populate(DrFixture f) {
    MailStore s = f.store;
    Map<String, byte[]> contents = new LinkedHashMap<>();
    s.createDomain("example.com");
    tick(f);
    s.createDomain("other.org");
    s.createCos("staff", "");
    s.createCos("trial", "${ZxBackup_Disabled}");
    tick(f);
    Account john = s.createAccount("john@example.com", "staff", Map.of("displayName", "John Doe"));
    s.addAlias(john.id(), "jd@example.com");
    tick(f);
    Account ann = s.createAccount("ann@example.com", null, Map.of());
    Account bob = s.createAccount("bob@other.org", null, Map.of("displayName", "Bob"));
    Account tina = s.createAccount("tina@example.com", "trial", Map.of());
    Account temp = s.createAccount("temp@example.com", null, Map.of());
    s.createDistributionList("all@example.com", List.of("john@example.com", "ann@example.com"));
    tick(f);

    Folder projects = s.createFolder(john.id(), "/Inbox/Projects/2026", null);
    Folder parent = s.folder(john.id(), "/Inbox/Projects").orElseThrow();
    Folder archive = s.createFolder(john.id(), "/Archive", "document");
    List<byte[]> johnMail = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      johnMail.add(message("john@example.com", i));
    }
    add(s, contents, john, Folder.INBOX, johnMail.subList(0, 4), Set.of("seen"), Set.of());
    tick(f);
    List<Item> work = add(s, contents, john, parent.id(), johnMail.subList(4, 6), Set.of(), Set.of("work", "q3"));
    Item doc = s.addItem(john.id(), archive.id(), ItemType.DOCUMENT, new byte[] {1, 2, 3, (byte) 0xff}, "plan.bin");
    contents.put(key(john, doc.id()), new byte[] {1, 2, 3, (byte) 0xff});
    Item contact = s.addItem(john.id(), Folder.CONTACTS, ItemType.CONTACT, "BEGIN:VCARD\r\nEND:VCARD\r\n".getBytes(UTF_8),
        "Ann");
    contents.put(key(john, contact.id()), "BEGIN:VCARD\r\nEND:VCARD\r\n".getBytes(UTF_8));
    tick(f);
    s.moveItem(john.id(), work.get(0).id(), projects.id());
    s.setFlags(john.id(), work.get(1).id(), Set.of("flagged", "answered"));
    s.deleteItem(john.id(), s.items(john.id(), Folder.INBOX).get(0).id());
    s.grant(john.id(), parent.id(), ann.id(), ann.name(), "rw");
    tick(f);

    s.mount(ann.id(), "/Shared/John", new Mountpoint(john.id(), parent.id(), john.name()));
    List<byte[]> annMail = new ArrayList<>(List.of(message("ann@example.com", 0), message("ann@example.com", 1)));
    annMail.add(johnMail.get(1)); // the same content in two mailboxes: one blob
    add(s, contents, ann, Folder.INBOX, annMail, Set.of(), Set.of());
    List<byte[]> bobMail = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      bobMail.add(message("bob@other.org", i));
    }
    add(s, contents, bob, Folder.SENT, bobMail, Set.of("seen"), Set.of("sent"));
    add(s, contents, tina, Folder.INBOX, List.of(message("tina@example.com", 0)), Set.of(), Set.of());
    add(s, contents, temp, Folder.INBOX, List.of(message("temp@example.com", 0)), Set.of(), Set.of());
    tick(f);
    scan(f);
    s.deleteAccount(temp.id());
    tick(f);
    scan(f);

    Map<String, Account> accounts = new TreeMap<>();
    Map<String, List<Folder>> folders = new TreeMap<>();
    Map<String, List<ItemView>> items = new TreeMap<>();
    Map<String, List<Grant>> grants = new TreeMap<>();
    for (Account a : List.of(john, ann, bob)) {
      Account now = s.account(a.id()).orElseThrow();
      accounts.put(now.name(), now);
      folders.put(now.name(), s.folders(a.id()));
      items.put(now.name(), s.items(a.id()).stream().map(ItemView::of).toList());
      grants.put(now.name(), s.grants(a.id()));
    }
    return new Expected(s.domains(), s.coses(), s.distributionLists(), accounts, folders, items, grants, contents);
  }

  static String key(Account a, int itemId) {
    return a.id() + "/" + itemId;
  }

  private static List<Item> add(MailStore s, Map<String, byte[]> contents, Account a, int folderId, List<byte[]> raws,
      Set<String> flags, Set<String> tags) {
    List<Item> added = s.addMessages(a.id(), folderId, raws, flags, tags);
    for (int i = 0; i < added.size(); i++) {
      contents.put(key(a, added.get(i).id()), raws.get(i));
    }
    return added;
  }

  private static void tick(DrFixture f) {
    f.clock.advance(Duration.ofMinutes(7));
  }

  static void scan(DrFixture f) {
    Operation op = f.run("doSmartScan");
    assertEquals(OperationState.SUCCEEDED, op.state(), () -> String.valueOf(op.error()));
  }
}
