package io.storefleet.worker.store.local;

import static io.storefleet.worker.store.Mutation.ACCOUNT_CREATED;
import static io.storefleet.worker.store.Mutation.ACCOUNT_DELETED;
import static io.storefleet.worker.store.Mutation.ALIAS_ADDED;
import static io.storefleet.worker.store.Mutation.COS_CREATED;
import static io.storefleet.worker.store.Mutation.COS_DELETED;
import static io.storefleet.worker.store.Mutation.COS_UPDATED;
import static io.storefleet.worker.store.Mutation.DL_CREATED;
import static io.storefleet.worker.store.Mutation.DL_DELETED;
import static io.storefleet.worker.store.Mutation.DOMAIN_CREATED;
import static io.storefleet.worker.store.Mutation.DOMAIN_DELETED;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.DistributionList;
import io.storefleet.worker.store.Domain;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Domain, COS, account and list mutations: check, then commit one entry. */
final class Provisioning {
  private final StoreContext ctx;

  Provisioning(StoreContext ctx) {
    this.ctx = ctx;
  }

  Domain createDomain(String name) {
    String d = Names.domain(name);
    if (ctx.dir().domain(d).isPresent()) {
      throw ErrorCode.ALREADY_EXISTS.exception("domain " + d + " already exists on this store");
    }
    ctx.commit(new Change(DOMAIN_CREATED, null, 0, new Details.DomainCreated(d, null)));
    return ctx.dir().domain(d).orElseThrow();
  }

  void deleteDomain(String name) {
    Domain d = ctx.requireDomain(name == null ? null : Directory.key(name));
    List<String> users = ctx.dir().addressesIn(d.name());
    if (!users.isEmpty()) {
      throw ErrorCode.CONFLICT.exception(
          "domain " + d.name() + " still has " + users.size() + " accounts, aliases or lists ("
              + StoreContext.preview(users) + "); delete them first");
    }
    ctx.commit(new Change(DOMAIN_DELETED, null, 0, new Details.Named(d.name())));
  }

  Cos createCos(String name, String notes) {
    String c = Names.cos(name);
    if (ctx.dir().cos(c).isPresent()) {
      throw ErrorCode.ALREADY_EXISTS.exception("cos " + c + " already exists on this store");
    }
    ctx.commit(new Change(COS_CREATED, null, 0, new Details.CosState(StoreContext.uuid(), c, notes == null ? "" : notes)));
    return ctx.dir().cos(c).orElseThrow();
  }

  Cos setCosNotes(String name, String notes) {
    Cos c = ctx.requireCos(name);
    String n = notes == null ? "" : notes;
    if (!n.equals(c.notes())) {
      ctx.commit(new Change(COS_UPDATED, null, 0, new Details.CosState(c.id(), c.name(), n)));
    }
    return ctx.dir().cos(c.name()).orElseThrow();
  }

  void deleteCos(String name) {
    Cos c = ctx.requireCos(name);
    List<String> users = ctx.dir().accountsUsing(c);
    if (!users.isEmpty()) {
      throw ErrorCode.CONFLICT.exception(
          "cos " + c.name() + " is used by " + users.size() + " accounts (" + StoreContext.preview(users)
              + "); delete them or give them another COS first");
    }
    ctx.commit(new Change(COS_DELETED, null, 0, new Details.Named(c.name())));
  }

  Account createAccount(String name, String cos, Map<String, String> attributes) {
    String a = Names.address(name);
    String domain = ctx.requireDomain(Names.domainOf(a)).name();
    Cos c = ctx.requireCos(cos == null || cos.isBlank() ? "default" : cos);
    Map<String, String> attrs = Names.attributes(attributes);
    ctx.requireFree(a);
    String id = StoreContext.uuid();
    ctx.commit(new Change(ACCOUNT_CREATED, id, 0, new Details.AccountCreated(id, a, domain, c.name(), "active", attrs, null)));
    return ctx.dir().account(id).orElseThrow();
  }

  void deleteAccount(String accountId) {
    Account a = ctx.requireAccount(accountId);
    ctx.commit(new Change(ACCOUNT_DELETED, a.id(), 0, new Details.Named(a.name())));
  }

  Account addAlias(String accountId, String alias) {
    Account a = ctx.requireAccount(accountId);
    String al = Names.address(alias);
    ctx.requireDomain(Names.domainOf(al));
    ctx.requireFree(al);
    ctx.commit(new Change(ALIAS_ADDED, a.id(), 0, new Details.AliasAdded(al)));
    return ctx.dir().account(a.id()).orElseThrow();
  }

  DistributionList createDistributionList(String name, List<String> members) {
    String l = Names.address(name);
    ctx.requireDomain(Names.domainOf(l));
    Set<String> ms = new LinkedHashSet<>();
    for (String m : members == null ? List.<String>of() : members) {
      ms.add(Names.address(m));
    }
    ctx.requireFree(l);
    ctx.commit(new Change(DL_CREATED, null, 0, new Details.ListCreated(StoreContext.uuid(), l, List.copyOf(ms))));
    return ctx.dir().list(l).orElseThrow();
  }

  void deleteDistributionList(String name) {
    String l = name == null ? "" : Directory.key(name);
    if (ctx.dir().list(l).isEmpty()) {
      throw ErrorCode.NOT_FOUND.exception(
          "distribution list " + l + " not found on this store; create it with"
              + " 'storefleet admin createDistributionList " + l + "'");
    }
    ctx.commit(new Change(DL_DELETED, null, 0, new Details.Named(l)));
  }
}
