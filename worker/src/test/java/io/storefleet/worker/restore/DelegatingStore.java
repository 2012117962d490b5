package io.storefleet.worker.restore;

import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.DistributionList;
import io.storefleet.worker.store.Domain;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.ItemType;
import io.storefleet.worker.store.JournalEntry;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.MailboxSnapshot;
import io.storefleet.worker.store.Mountpoint;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** A store that passes everything to another one; tests override what they falsify. */
class DelegatingStore implements MailStore {
  final MailStore d;

  DelegatingStore(MailStore d) {
    this.d = d;
  }

  @Override public String kind() { return d.kind(); }
  @Override public List<Domain> domains() { return d.domains(); }
  @Override public Domain createDomain(String name) { return d.createDomain(name); }
  @Override public void deleteDomain(String name) { d.deleteDomain(name); }
  @Override public List<Cos> coses() { return d.coses(); }
  @Override public Optional<Cos> cos(String name) { return d.cos(name); }
  @Override public Cos createCos(String name, String notes) { return d.createCos(name, notes); }
  @Override public Cos setCosNotes(String name, String notes) { return d.setCosNotes(name, notes); }
  @Override public void deleteCos(String name) { d.deleteCos(name); }
  @Override public List<Account> accounts() { return d.accounts(); }
  @Override public Optional<Account> account(String nameOrId) { return d.account(nameOrId); }
  @Override public Account createAccount(String name, String cos, Map<String, String> attributes) {
    return d.createAccount(name, cos, attributes);
  }
  @Override public void deleteAccount(String accountId) { d.deleteAccount(accountId); }
  @Override public Account addAlias(String accountId, String alias) { return d.addAlias(accountId, alias); }
  @Override public List<DistributionList> distributionLists() { return d.distributionLists(); }
  @Override public DistributionList createDistributionList(String name, List<String> members) {
    return d.createDistributionList(name, members);
  }
  @Override public void deleteDistributionList(String name) { d.deleteDistributionList(name); }
  @Override public List<Folder> folders(String accountId) { return d.folders(accountId); }
  @Override public Optional<Folder> folder(String accountId, String path) { return d.folder(accountId, path); }
  @Override public Folder createFolder(String accountId, String path, String view) {
    return d.createFolder(accountId, path, view);
  }
  @Override public List<Item> items(String accountId) { return d.items(accountId); }
  @Override public List<Item> items(String accountId, int folderId) { return d.items(accountId, folderId); }
  @Override public Optional<Item> item(String accountId, int itemId) { return d.item(accountId, itemId); }
  @Override public byte[] content(String accountId, int itemId) { return d.content(accountId, itemId); }
  @Override public MailboxSnapshot snapshot(String accountId) { return d.snapshot(accountId); }
  @Override public Optional<byte[]> retainedContent(String digest, long size) { return d.retainedContent(digest, size); }
  @Override public List<Item> addMessages(String accountId, int folderId, List<byte[]> raws, Set<String> flags,
      Set<String> tags) {
    return d.addMessages(accountId, folderId, raws, flags, tags);
  }
  @Override public Item addItem(String accountId, int folderId, ItemType type, byte[] raw, String subject) {
    return d.addItem(accountId, folderId, type, raw, subject);
  }
  @Override public Item moveItem(String accountId, int itemId, int folderId) { return d.moveItem(accountId, itemId, folderId); }
  @Override public Item setFlags(String accountId, int itemId, Set<String> flags) { return d.setFlags(accountId, itemId, flags); }
  @Override public Item setTags(String accountId, int itemId, Set<String> tags) { return d.setTags(accountId, itemId, tags); }
  @Override public void deleteItem(String accountId, int itemId) { d.deleteItem(accountId, itemId); }
  @Override public int emptyFolder(String accountId, int folderId) { return d.emptyFolder(accountId, folderId); }
  @Override public Grant grant(String ownerId, int folderId, String granteeId, String granteeName, String rights) {
    return d.grant(ownerId, folderId, granteeId, granteeName, rights);
  }
  @Override public void revoke(String ownerId, int folderId, String granteeId) { d.revoke(ownerId, folderId, granteeId); }
  @Override public List<Grant> grants(String accountId) { return d.grants(accountId); }
  @Override public Folder mount(String granteeId, String path, Mountpoint target) { return d.mount(granteeId, path, target); }
  @Override public Folder repointMountpoint(String accountId, int folderId, Mountpoint target) {
    return d.repointMountpoint(accountId, folderId, target);
  }
  @Override public long lastSequence() { return d.lastSequence(); }
  @Override public long lastChange(String accountId) { return d.lastChange(accountId); }
  @Override public List<JournalEntry> journal(long fromSeq, int limit) { return d.journal(fromSeq, limit); }
  @Override public void addListener(Consumer<JournalEntry> listener) { d.addListener(listener); }
  @Override public void close() throws IOException { d.close(); }
}
