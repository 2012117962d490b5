package io.storefleet.worker.store.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.testing.MutableClock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class ProvisioningTest {
  @TempDir Path dir;
  private final MutableClock clock = MutableClock.atEpoch2026();
  private LocalMailStore store;

  @BeforeEach
  void open() throws Exception {
    store = LocalMailStore.open(dir, clock);
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  @Test
  void newStoreHasOnlyTheDefaultCos() {
    assertEquals("local", store.kind());
    assertEquals(List.of("default"), store.coses().stream().map(c -> c.name()).toList());
    assertEquals(1, store.lastSequence());
    assertTrue(store.domains().isEmpty());
  }

  @Test
  void createsAndDeletesDomainsCosesAccountsAndLists() {
    assertEquals("example.com", store.createDomain(" Example.COM ").name());
    store.createCos("staff", "${ZxBackup_Disabled}");
    assertEquals("later", store.setCosNotes("staff", "later").notes());

    Account john = store.createAccount("John@Example.com", "staff", Map.of("displayName", "John"));
    assertEquals("john@example.com", john.name());
    assertEquals("example.com", john.domain());
    assertEquals("staff", john.cos());
    assertEquals("active", john.status());
    assertEquals(clock.instant(), john.createdAt());
    assertEquals(john, store.account(john.id()).orElseThrow());
    assertEquals(john, store.account("JOHN@example.com").orElseThrow());

    Account aliased = store.addAlias(john.id(), "j@example.com");
    assertEquals(List.of("j@example.com"), aliased.aliases());
    assertEquals(john.id(), store.account("J@Example.com").orElseThrow().id());

    store.createDistributionList("all@example.com", List.of("John@example.com"));
    assertEquals(List.of("john@example.com"), store.distributionLists().get(0).members());

    store.deleteDistributionList("all@example.com");
    store.deleteAccount(john.id());
    assertTrue(store.account("john@example.com").isEmpty());
    assertTrue(store.account("j@example.com").isEmpty());
    store.deleteCos("staff");
    store.deleteDomain("example.com");
    assertTrue(store.domains().isEmpty());
  }

  @Test
  void newAccountHasTheSystemFolders() {
    store.createDomain("example.com");
    Account a = store.createAccount("john@example.com", null, Map.of());
    assertEquals("default", a.cos());
    List<Folder> folders = store.folders(a.id());
    assertEquals(
        List.of("1 /", "2 /Inbox", "3 /Trash", "4 /Junk", "5 /Sent", "6 /Drafts", "7 /Contacts",
            "10 /Calendar", "15 /Tasks", "16 /Briefcase"),
        folders.stream().map(f -> f.id() + " " + f.path()).toList());
    assertEquals("contact", store.folder(a.id(), "/contacts").orElseThrow().view());
    assertEquals("appointment", store.folder(a.id(), "/Calendar").orElseThrow().view());
    assertEquals("task", store.folder(a.id(), "/Tasks").orElseThrow().view());
    assertEquals("document", store.folder(a.id(), "/Briefcase").orElseThrow().view());
    assertEquals(Folder.ROOT, store.folder(a.id(), "/").orElseThrow().parentId());
  }

  @Test
  void refusesBadProvisioning() {
    fails(ErrorCode.NOT_FOUND, "domain example.com not found", () -> store.createAccount("john@example.com", null, Map.of()));
    store.createDomain("example.com");
    fails(ErrorCode.ALREADY_EXISTS, "domain example.com already exists", () -> store.createDomain("example.com"));
    fails(ErrorCode.NOT_FOUND, "cos staff not found", () -> store.createAccount("john@example.com", "staff", Map.of()));
    fails(ErrorCode.BAD_VALUE, "'john' is not an address", () -> store.createAccount("john", null, Map.of()));
    fails(ErrorCode.BAD_VALUE, "is not a domain name", () -> store.createDomain("bad domain"));

    Account john = store.createAccount("john@example.com", null, Map.of());
    fails(ErrorCode.ALREADY_EXISTS, "john@example.com is already used by account john@example.com",
        () -> store.createAccount("JOHN@example.com", null, Map.of()));
    store.addAlias(john.id(), "j@example.com");
    fails(ErrorCode.ALREADY_EXISTS, "j@example.com is already used by an alias of account john@example.com",
        () -> store.createDistributionList("j@example.com", List.of()));
    store.createDistributionList("all@example.com", List.of());
    fails(ErrorCode.ALREADY_EXISTS, "already used by distribution list all@example.com",
        () -> store.addAlias(john.id(), "all@example.com"));
    fails(ErrorCode.NOT_FOUND, "domain other.org not found", () -> store.addAlias(john.id(), "x@other.org"));

    fails(ErrorCode.CONFLICT, "domain example.com still has 3 accounts, aliases or lists", () -> store.deleteDomain("example.com"));
    fails(ErrorCode.CONFLICT, "cos default is used by 1 accounts (john@example.com)", () -> store.deleteCos("default"));
    fails(ErrorCode.NOT_FOUND, "account nobody@example.com not found on this store; create it with"
        + " 'storefleet admin createAccount nobody@example.com'", () -> store.deleteAccount("nobody@example.com"));
    fails(ErrorCode.NOT_FOUND, "distribution list none@example.com not found", () -> store.deleteDistributionList("none@example.com"));
    fails(ErrorCode.NOT_FOUND, "domain nope.org not found", () -> store.deleteDomain("nope.org"));
    fails(ErrorCode.ALREADY_EXISTS, "cos default already exists", () -> store.createCos("default", ""));
  }

  @Test
  void aFailedMutationCommitsNothing() {
    store.createDomain("example.com");
    long before = store.lastSequence();
    assertThrows(StorefleetException.class, () -> store.createAccount("john@example.com", "missing", Map.of()));
    assertThrows(StorefleetException.class, () -> store.deleteDomain("other.com"));
    assertEquals(before, store.lastSequence());
    assertTrue(store.accounts().isEmpty());
  }

  static void fails(ErrorCode code, String messagePart, Executable call) {
    StorefleetException e = assertThrows(StorefleetException.class, call);
    assertEquals(code, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains(messagePart), () -> "'" + e.getMessage() + "' lacks '" + messagePart + "'");
  }
}
