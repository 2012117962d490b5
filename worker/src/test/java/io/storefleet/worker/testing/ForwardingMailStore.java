package io.storefleet.worker.testing;

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
import io.storefleet.worker.store.MissingContent;
import io.storefleet.worker.store.Mountpoint;
import io.storefleet.worker.store.Volume;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** A MailStore that passes every call on; tests override what they need to misbehave. */
public class ForwardingMailStore implements MailStore {
  protected final MailStore delegate;

  public ForwardingMailStore(MailStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public String kind() {
    return delegate.kind();
  }

  @Override
  public List<Domain> domains() {
    return delegate.domains();
  }

  @Override
  public Domain createDomain(String name) {
    return delegate.createDomain(name);
  }

  @Override
  public void deleteDomain(String name) {
    delegate.deleteDomain(name);
  }

  @Override
  public List<Cos> coses() {
    return delegate.coses();
  }

  @Override
  public Optional<Cos> cos(String name) {
    return delegate.cos(name);
  }

  @Override
  public Cos createCos(String name, String notes) {
    return delegate.createCos(name, notes);
  }

  @Override
  public Cos setCosNotes(String name, String notes) {
    return delegate.setCosNotes(name, notes);
  }

  @Override
  public void deleteCos(String name) {
    delegate.deleteCos(name);
  }

  @Override
  public List<Account> accounts() {
    return delegate.accounts();
  }

  @Override
  public Optional<Account> account(String nameOrId) {
    return delegate.account(nameOrId);
  }

  @Override
  public Account createAccount(String name, String cos, Map<String, String> attributes) {
    return delegate.createAccount(name, cos, attributes);
  }

  @Override
  public void deleteAccount(String accountId) {
    delegate.deleteAccount(accountId);
  }

  @Override
  public Account addAlias(String accountId, String alias) {
    return delegate.addAlias(accountId, alias);
  }

  @Override
  public List<DistributionList> distributionLists() {
    return delegate.distributionLists();
  }

  @Override
  public DistributionList createDistributionList(String name, List<String> members) {
    return delegate.createDistributionList(name, members);
  }

  @Override
  public void deleteDistributionList(String name) {
    delegate.deleteDistributionList(name);
  }

  @Override
  public List<Folder> folders(String accountId) {
    return delegate.folders(accountId);
  }

  @Override
  public Optional<Folder> folder(String accountId, String path) {
    return delegate.folder(accountId, path);
  }

  @Override
  public Folder createFolder(String accountId, String path, String view) {
    return delegate.createFolder(accountId, path, view);
  }

  @Override
  public List<Item> items(String accountId) {
    return delegate.items(accountId);
  }

  @Override
  public List<Item> items(String accountId, int folderId) {
    return delegate.items(accountId, folderId);
  }

  @Override
  public Optional<Item> item(String accountId, int itemId) {
    return delegate.item(accountId, itemId);
  }

  @Override
  public byte[] content(String accountId, int itemId) {
    return delegate.content(accountId, itemId);
  }

  @Override
  public MailboxSnapshot snapshot(String accountId) {
    return delegate.snapshot(accountId);
  }

  @Override
  public Optional<byte[]> retainedContent(String digest, long size) {
    return delegate.retainedContent(digest, size);
  }

  @Override
  public List<Item> addMessages(String accountId, int folderId, List<io.storefleet.worker.store.NewMessage> messages) {
    return delegate.addMessages(accountId, folderId, messages);
  }

  @Override
  public Item addItem(String accountId, int folderId, ItemType type, byte[] raw, String subject) {
    return delegate.addItem(accountId, folderId, type, raw, subject);
  }

  @Override
  public Item moveItem(String accountId, int itemId, int folderId) {
    return delegate.moveItem(accountId, itemId, folderId);
  }

  @Override
  public Item setFlags(String accountId, int itemId, Set<String> flags) {
    return delegate.setFlags(accountId, itemId, flags);
  }

  @Override
  public Item setTags(String accountId, int itemId, Set<String> tags) {
    return delegate.setTags(accountId, itemId, tags);
  }

  @Override
  public void deleteItem(String accountId, int itemId) {
    delegate.deleteItem(accountId, itemId);
  }

  @Override
  public int emptyFolder(String accountId, int folderId) {
    return delegate.emptyFolder(accountId, folderId);
  }

  @Override
  public Grant grant(String ownerId, int folderId, String granteeId, String granteeName, String rights) {
    return delegate.grant(ownerId, folderId, granteeId, granteeName, rights);
  }

  @Override
  public void revoke(String ownerId, int folderId, String granteeId) {
    delegate.revoke(ownerId, folderId, granteeId);
  }

  @Override
  public List<Grant> grants(String accountId) {
    return delegate.grants(accountId);
  }

  @Override
  public Folder mount(String granteeId, String path, Mountpoint target) {
    return delegate.mount(granteeId, path, target);
  }

  @Override
  public Folder repointMountpoint(String accountId, int folderId, Mountpoint target) {
    return delegate.repointMountpoint(accountId, folderId, target);
  }

  @Override
  public long lastSequence() {
    return delegate.lastSequence();
  }

  @Override
  public long lastChange(String accountId) {
    return delegate.lastChange(accountId);
  }

  @Override
  public io.storefleet.worker.store.ScanView scanView() {
    return delegate.scanView();
  }

  @Override
  public List<JournalEntry> journal(long fromSeq, int limit) {
    return delegate.journal(fromSeq, limit);
  }

  @Override
  public void addListener(Consumer<JournalEntry> listener) {
    delegate.addListener(listener);
  }

  @Override
  public Domain restoreDomain(Domain domain) {
    return delegate.restoreDomain(domain);
  }

  @Override
  public Cos restoreCos(Cos cos) {
    return delegate.restoreCos(cos);
  }

  @Override
  public DistributionList restoreDistributionList(DistributionList list) {
    return delegate.restoreDistributionList(list);
  }

  @Override
  public Account restoreAccount(Account account) {
    return delegate.restoreAccount(account);
  }

  @Override
  public Folder restoreFolder(String accountId, Folder folder) {
    return delegate.restoreFolder(accountId, folder);
  }

  @Override
  public List<Item> restoreItems(String accountId, List<Item> items) {
    return delegate.restoreItems(accountId, items);
  }

  @Override
  public long advanceJournal(long past) {
    return delegate.advanceJournal(past);
  }

  @Override
  public List<Volume> volumes() {
    return delegate.volumes();
  }

  @Override
  public List<MissingContent> missingContent(int volumeId) {
    return delegate.missingContent(volumeId);
  }

  @Override
  public Set<String> restoreContent(int volumeId, Map<String, byte[]> contents) {
    return delegate.restoreContent(volumeId, contents);
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
