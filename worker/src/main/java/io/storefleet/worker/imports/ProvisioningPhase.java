package io.storefleet.worker.imports;

import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.backup.format.ProvisioningSnapshot;
import io.storefleet.worker.cluster.AccountDirectory;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.DistributionList;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Grant;
import io.storefleet.worker.store.MailStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * PHASE1: domains, the classes of service the imported accounts use, distribution lists, the
 * accounts with their attributes and aliases, their folders and the shares they gave. After it
 * the accounts can be used. Everything that is already there is used as it is (an import run
 * again creates nothing twice), and every account and folder is written to the import map as soon
 * as it exists.
 */
final class ProvisioningPhase {
  private static final System.Logger LOG = System.getLogger(ProvisioningPhase.class.getName());

  private final MailStore store;
  private final String serverId;
  private final ImportSource src;
  private final ImportSelection sel;
  private final ImportOptions opt;
  private final ImportMap map;
  private final AccountDirectory cluster;
  private final ImportCounters counters;
  private final ImportProgress progress;
  private final OperationContext ctx;

  ProvisioningPhase(MailStore store, String serverId, ImportSource src, ImportSelection sel, ImportOptions opt,
      ImportMap map, AccountDirectory cluster, ImportCounters counters, ImportProgress progress, OperationContext ctx) {
    this.store = store;
    this.serverId = serverId;
    this.src = src;
    this.sel = sel;
    this.opt = opt;
    this.map = map;
    this.cluster = cluster;
    this.counters = counters;
    this.progress = progress;
    this.ctx = ctx;
  }

  List<ImportTarget> run() throws IOException {
    progress.phase("PHASE1 provisioning", sel.accounts().size());
    ProvisioningSnapshot prov = src.provisioning();
    if (!opt.skipDomainProvisioning()) {
      domains();
      if (!opt.skipCoses()) {
        coses(prov);
      }
      if (!opt.skipDistributionLists() && !opt.namedAccountsOnly()) {
        lists(prov);
      }
    }
    List<ImportTarget> targets = new ArrayList<>();
    for (SourceAccount a : sel.accounts()) {
      ctx.checkStopped();
      ImportTarget t = account(a);
      if (t != null) {
        targets.add(t);
      }
      progress.advance(1, 0);
    }
    for (ImportTarget t : targets) {
      ctx.checkStopped();
      folders(t);
      grants(t);
    }
    return targets;
  }

  private void domains() {
    Set<String> have = new HashSet<>();
    store.domains().forEach(d -> have.add(d.name().toLowerCase(Locale.ROOT)));
    for (String d : sel.domains()) {
      if (!have.contains(d)) {
        store.createDomain(d);
        counters.add("domainsCreated", 1);
      }
    }
  }

  /** Only the classes of service the imported accounts use, as the manual says. */
  private void coses(ProvisioningSnapshot prov) {
    Set<String> used = new java.util.TreeSet<>();
    sel.accounts().forEach(a -> used.add(a.account().cos().toLowerCase(Locale.ROOT)));
    for (String c : used) {
      if (store.cos(c).isEmpty()) {
        String notes = prov.coses().stream().filter(x -> x.name().equalsIgnoreCase(c)).map(Cos::notes).findFirst()
            .orElse("");
        store.createCos(c, notes);
        counters.add("cosCreated", 1);
      }
    }
  }

  private void lists(ProvisioningSnapshot prov) {
    Set<String> have = new HashSet<>();
    store.distributionLists().forEach(l -> have.add(l.name().toLowerCase(Locale.ROOT)));
    for (DistributionList l : prov.lists()) {
      String name = l.name().toLowerCase(Locale.ROOT);
      if (have.contains(name) || !sel.domains().contains(name.substring(name.lastIndexOf('@') + 1))) {
        continue;
      }
      try {
        store.createDistributionList(l.name(), l.members());
        counters.add("listsCreated", 1);
      } catch (StorefleetException e) {
        counters.unrestored(l.name(), 0, "distribution list not created: " + e.getMessage());
      }
    }
  }

  private ImportTarget account(SourceAccount a) throws IOException {
    Optional<Account> mapped = map.account(a.id()).flatMap(store::account);
    Account acct;
    if (mapped.isPresent()) {
      acct = mapped.get();
      counters.add("accountsExisting", 1);
    } else if (store.account(a.name()).isPresent()) {
      // Created here before: by a run that stopped before writing the map, or by hand.
      acct = store.account(a.name()).get();
      map.account(a.id(), acct.id(), acct.name());
      counters.add("accountsExisting", 1);
    } else {
      Optional<String> elsewhere = cluster.serverOf(a.name()).filter(s -> !s.equals(serverId));
      if (elsewhere.isPresent()) {
        refuse(a, "the account already exists on server " + elsewhere.get() + " of the cluster; import it there or"
            + " leave it out");
        return null;
      }
      String domain = a.domain().toLowerCase(Locale.ROOT);
      if (store.domains().stream().noneMatch(d -> d.name().equalsIgnoreCase(domain))) {
        refuse(a, "domain " + domain + " does not exist on " + serverId + " and skip_domain_provisioning is true;"
            + " create the domain or import without skip_domain_provisioning");
        return null;
      }
      String cos = store.cos(a.account().cos()).isPresent() ? a.account().cos() : "default";
      try {
        acct = store.createAccount(a.name(), cos, opt.skipAccountProvisioning() ? java.util.Map.of()
            : a.account().attributes());
      } catch (StorefleetException e) {
        refuse(a, "the account could not be created: " + e.getMessage());
        return null;
      }
      map.account(a.id(), acct.id(), acct.name());
      counters.add("accountsCreated", 1);
      publish(acct);
    }
    if (!opt.skipAliases()) {
      acct = aliases(a, acct);
    }
    return new ImportTarget(a, acct);
  }

  private Account aliases(SourceAccount a, Account acct) {
    boolean added = false;
    for (String alias : a.account().aliases()) {
      if (acct.aliases().stream().anyMatch(alias::equalsIgnoreCase)) {
        continue;
      }
      Optional<String> elsewhere = cluster.serverOf(alias).filter(s -> !s.equals(serverId));
      if (elsewhere.isPresent()) {
        counters.unrestored(acct.name(), 0, "alias " + alias + " is taken on server " + elsewhere.get());
        continue;
      }
      try {
        acct = store.addAlias(acct.id(), alias);
        counters.add("aliasesAdded", 1);
        added = true;
      } catch (StorefleetException e) {
        counters.unrestored(acct.name(), 0, "alias " + alias + " not added: " + e.getMessage());
      }
    }
    if (added) {
      publish(acct);
    }
    return acct;
  }

  private void publish(Account acct) {
    try {
      cluster.publish(acct);
    } catch (StorefleetException e) {
      // The directory is republished from the store every 30 s: the account becomes routable then.
      LOG.log(System.Logger.Level.WARNING, "imported account " + acct.name() + " not yet in the cluster directory: "
          + e.getMessage());
    }
  }

  private void refuse(SourceAccount a, String why) {
    counters.refused(a.name(), why);
  }

  /** The folder tree by path; system folders keep their fixed ids. */
  private void folders(ImportTarget t) throws IOException {
    Set<Integer> present = new HashSet<>();
    store.folders(t.newId()).forEach(f -> present.add(f.id()));
    List<Folder> tree = new ArrayList<>(t.source.snapshot().folders());
    tree.sort(Comparator.comparingInt((Folder f) -> f.path().length()).thenComparing(Folder::path));
    List<int[]> pairs = new ArrayList<>();
    for (Folder f : tree) {
      if (f.isMountpoint()) {
        continue;
      }
      int mapped = map.id(t.oldId(), f.id());
      if (mapped > 0 && present.contains(mapped)) {
        t.folders.put(f.id(), mapped);
        continue;
      }
      if (f.id() < Folder.FIRST_USER_ID && present.contains(f.id())) {
        // System folders keep their ids; they are mapped too, so that the map answers for every folder.
        t.folders.put(f.id(), f.id());
        pairs.add(new int[] {f.id(), f.id()});
        continue;
      }
      Optional<Folder> there = store.folder(t.newId(), f.path());
      Folder nf;
      try {
        nf = there.orElseGet(() -> store.createFolder(t.newId(), f.path(), f.view()));
      } catch (StorefleetException e) {
        if (!Folder.notHeld(e, f.view())) {
          throw e;
        }
        counters.unrestored(t.name(), 0, "folder " + f.path() + " not created: " + e.getMessage());
        continue;
      }
      if (there.isEmpty()) {
        counters.add("foldersCreated", 1);
      }
      present.add(nf.id());
      t.folders.put(f.id(), nf.id());
      pairs.add(new int[] {f.id(), nf.id()});
    }
    write(t, pairs);
  }

  private void write(ImportTarget t, List<int[]> pairs) throws IOException {
    if (pairs.isEmpty()) {
      return;
    }
    int[] olds = new int[pairs.size()];
    int[] news = new int[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      olds[i] = pairs.get(i)[0];
      news[i] = pairs.get(i)[1];
    }
    map.ids(t.oldId(), olds, news);
  }

  /**
   * The shares the account gave. A grantee imported here gets its new id; any other keeps its old
   * id, which doFixShares translates with the import maps of the server it went to.
   */
  private void grants(ImportTarget t) {
    List<Grant> existing = store.grants(t.newId());
    for (Grant g : t.source.snapshot().grants()) {
      Integer folder = t.folders.get(g.folderId());
      if (folder == null) {
        counters.unrestored(t.name(), 0, "share of folder " + g.folderId() + " to " + g.granteeName()
            + " not restored: the folder is not in the source's folder list");
        continue;
      }
      String grantee = map.account(g.granteeId()).orElse(g.granteeId());
      Optional<Grant> before = existing.stream()
          .filter(e -> e.folderId() == folder && e.granteeId().equals(grantee)).findFirst();
      // A re-import must not bring back a grant doFixShares has since given the grantee's new id:
      // that grant shares the folder with the same address under another id. A grant under the
      // same id goes to store.grant, so that rights changed on the source reach this server.
      if (before.isEmpty() && existing.stream().anyMatch(e -> e.folderId() == folder
          && e.granteeName().equalsIgnoreCase(g.granteeName()))) {
        counters.add("grantsExisting", 1);
        continue;
      }
      try {
        Grant after = store.grant(t.newId(), folder, grantee, g.granteeName(), g.rights());
        counters.add(before.isPresent() && before.get().equals(after) ? "grantsExisting" : "grantsRestored", 1);
      } catch (StorefleetException e) {
        counters.unrestored(t.name(), 0, "share of folder " + g.folderId() + " to " + g.granteeName()
            + " not restored: " + e.getMessage());
      }
    }
  }
}
