package io.storefleet.worker.store.imap;

import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.DistributionList;
import io.storefleet.worker.store.Domain;
import io.storefleet.worker.store.MailStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The provisioning half of the {@code imap} store ({@link ImapMailStore} is the mailbox half):
 * accounts are the server's users ({@link AccountDirectory}, created and deleted by the {@link
 * Provisioner}); domains, classes of service, aliases and lists are kept by the worker ({@link
 * KeptProvisioning}); a raw restore creates each with the ids and dates a backup recorded.
 */
abstract class ImapDirectoryStore implements MailStore {
  final AccountDirectory directory;
  final KeptProvisioning kept;
  final Provisioner provisioner;

  ImapDirectoryStore(AccountDirectory directory, KeptProvisioning kept, Provisioner provisioner) {
    this.directory = directory;
    this.kept = kept;
    this.provisioner = provisioner;
  }

  @Override
  public List<Domain> domains() {
    return kept.domains();
  }

  @Override
  public Domain createDomain(String name) {
    return kept.createDomain(name);
  }

  @Override
  public void deleteDomain(String name) {
    kept.deleteDomain(name);
  }

  @Override
  public List<Cos> coses() {
    return kept.coses();
  }

  @Override
  public Optional<Cos> cos(String name) {
    return kept.cos(name);
  }

  @Override
  public Cos createCos(String name, String notes) {
    return kept.createCos(name, notes);
  }

  @Override
  public Cos setCosNotes(String name, String notes) {
    return kept.setCosNotes(name, notes);
  }

  @Override
  public void deleteCos(String name) {
    kept.deleteCos(name);
  }

  @Override
  public List<Account> accounts() {
    return directory.accounts();
  }

  @Override
  public Optional<Account> account(String nameOrId) {
    return nameOrId == null ? Optional.empty() : directory.find(nameOrId);
  }

  @Override
  public Account createAccount(String name, String cos, Map<String, String> attributes) {
    return provisioner.create(name, cos, attributes);
  }

  @Override
  public void deleteAccount(String accountId) {
    provisioner.delete(accountId);
  }

  @Override
  public Account addAlias(String accountId, String alias) {
    return kept.addAlias(accountId, alias);
  }

  @Override
  public List<DistributionList> distributionLists() {
    return kept.lists();
  }

  @Override
  public DistributionList createDistributionList(String name, List<String> members) {
    return kept.createList(name, members);
  }

  @Override
  public void deleteDistributionList(String name) {
    kept.deleteList(name);
  }

  // ---- raw restore: the recorded ids and dates

  @Override
  public Domain restoreDomain(Domain domain) {
    return kept.restoreDomain(domain);
  }

  @Override
  public Cos restoreCos(Cos cos) {
    return kept.restoreCos(cos);
  }

  @Override
  public DistributionList restoreDistributionList(DistributionList list) {
    return kept.restoreList(list);
  }

  @Override
  public Account restoreAccount(Account account) {
    return provisioner.restore(account);
  }
}
