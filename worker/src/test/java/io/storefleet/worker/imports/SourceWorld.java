package io.storefleet.worker.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storefleet.protocol.operation.Operation;
import io.storefleet.protocol.operation.OperationState;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.testing.ServerFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A source server {@code old1} with what an import must carry: two domains, a COS with notes and
 * one nobody uses, a list, an alias, a system account, user folders, a share between two of its
 * accounts with its mountpoint, flags and tags, a contact.
 */
final class SourceWorld {
  final ServerFixture old;
  final Account ann;
  final Account bob;
  final Account cat;
  final Folder projects;

  SourceWorld(Path root) throws Exception {
    old = new ServerFixture(root, "old1");
    old.store.createDomain("a.example");
    old.store.createDomain("b.example");
    old.store.createCos("staff", "office staff");
    old.store.createCos("unused", "");
    ann = old.store.createAccount("ann@a.example", "staff", Map.of("displayName", "Ann Smith"));
    old.store.addAlias(ann.id(), "a.smith@a.example");
    bob = old.account("bob@a.example");
    cat = old.account("cat@b.example");
    old.account("galsync.x1@a.example");
    old.store.createDistributionList("team@a.example", List.of("ann@a.example", "bob@a.example"));
    projects = old.store.createFolder(ann.id(), "/Inbox/Projects", "message");
    deliver(ann, Folder.INBOX, 5, "ann", Set.of("seen"), Set.of());
    deliver(ann, projects.id(), 3, "proj", Set.of("seen", "flagged"), Set.of("work"));
    deliver(bob, Folder.INBOX, 4, "bob", Set.of(), Set.of());
    deliver(cat, Folder.INBOX, 2, "cat", Set.of(), Set.of());
    old.store.addItem(ann.id(), Folder.CONTACTS, ItemType.CONTACT,
        "BEGIN:VCARD\r\nFN:Bob\r\nEND:VCARD\r\n".getBytes(StandardCharsets.UTF_8), "Bob");
    old.store.grant(ann.id(), projects.id(), bob.id(), bob.name(), "r");
    old.store.mount(bob.id(), "/Ann's projects", new Mountpoint(ann.id(), projects.id(), ann.name()));
  }

  void deliver(Account a, int folder, int n, String prefix, Set<String> flags, Set<String> tags) {
    List<byte[]> mail = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      mail.add(ServerFixture.message(prefix + " " + i, "body of " + prefix + " " + i + " for " + a.name()));
    }
    old.store.addMessages(a.id(), folder, mail, flags, tags);
  }

  /** Exports old1 (all of it, or the given doExport parameters) to {@code dest}. */
  Path export(Path dest, String... params) {
    List<String> p = new ArrayList<>(List.of("destination_path", dest.toString()));
    p.addAll(List.of(params));
    Operation op = old.run("doExport", p.toArray(String[]::new));
    assertEquals(OperationState.SUCCEEDED, op.state(), String.valueOf(op.error()));
    return dest;
  }
}
