package io.storefleet.worker.restore.raw;

import io.storefleet.protocol.catalogue.AdminCommand;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.backup.format.ProvisioningSnapshot;
import io.storefleet.worker.cluster.ClusterPeers;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.DistributionList;
import io.storefleet.worker.store.Domain;
import io.storefleet.worker.store.MailStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster-wide provisioning of a full raw restore: the domains, classes of service and
 * distribution lists the backup recorded. Every store keeps its own copy of them (the admin
 * commands that create them are broadcast), so they are re-created here with their recorded ids,
 * and on every other server of the cluster through its admin commands, as a broadcast would.
 * What is already there is left as it is, so a re-run changes nothing.
 */
final class ProvisioningRestore {
  private final MailStore store;
  private final ClusterPeers peers;
  private final RestoreTally tally;

  ProvisioningRestore(MailStore store, ClusterPeers peers, RestoreTally tally) {
    this.store = store;
    this.peers = peers;
    this.tally = tally;
  }

  void restore(ProvisioningSnapshot p) {
    for (Domain d : p.domains()) {
      local("domain " + d.name(), () -> {
        if (store.domains().stream().anyMatch(x -> x.name().equalsIgnoreCase(d.name()))) {
          return false;
        }
        store.restoreDomain(d);
        return true;
      });
    }
    for (Cos c : p.coses()) {
      local("cos " + c.name(), () -> cos(c));
    }
    for (DistributionList l : p.lists()) {
      local("distribution list " + l.name(), () -> {
        if (store.distributionLists().stream().anyMatch(x -> x.name().equalsIgnoreCase(l.name()))) {
          return false;
        }
        store.restoreDistributionList(l);
        return true;
      });
    }
    for (String server : peers.others()) {
      push(server, p);
    }
  }

  /**
   * A COS of the same name keeps its place, but takes the recorded notes (the backup switch lives
   * there). One that no account uses yet, like the default COS of a new store, is replaced so that
   * the recorded id comes back.
   */
  private boolean cos(Cos c) {
    Cos existing = store.cos(c.name()).orElse(null);
    if (existing == null) {
      store.restoreCos(c);
      return true;
    }
    if (existing.id().equals(c.id()) && existing.notes().equals(c.notes())) {
      return false;
    }
    boolean used = store.accounts().stream().map(Account::cos).anyMatch(n -> n.equalsIgnoreCase(c.name()));
    boolean idFree = store.coses().stream().noneMatch(x -> x.id().equals(c.id()));
    if (!existing.id().equals(c.id()) && !used && idFree) {
      store.deleteCos(existing.name());
      store.restoreCos(c);
    } else {
      store.setCosNotes(existing.name(), c.notes());
    }
    return true;
  }

  private interface Step {
    boolean run();
  }

  private void local(String what, Step step) {
    try {
      tally.add(step.run() ? "provisioningRestored" : "provisioningSkipped", 1);
    } catch (StorefleetException e) {
      tally.note(what + " was not restored on this server: " + e.getMessage());
    }
  }

  /** Creates what the server lacks; one that does not answer is skipped after its first failure. */
  private void push(String server, ProvisioningSnapshot p) {
    List<AdminCall> calls = new ArrayList<>();
    for (Domain d : p.domains()) {
      calls.add(new AdminCall(AdminCommand.CREATE_DOMAIN, d.name(), Map.of("domain", d.name())));
    }
    for (Cos c : p.coses()) {
      calls.add(new AdminCall(AdminCommand.CREATE_COS, c.name(),
          Map.of("cos", c.name(), "notes", c.notes() == null ? "" : c.notes())));
    }
    for (DistributionList l : p.lists()) {
      Map<String, String> params = new LinkedHashMap<>();
      params.put("list", l.name());
      if (!l.members().isEmpty()) {
        params.put("members", String.join(",", l.members()));
      }
      calls.add(new AdminCall(AdminCommand.CREATE_DISTRIBUTION_LIST, l.name(), params));
    }
    boolean complete = true;
    for (AdminCall call : calls) {
      try {
        peers.admin(server, call.command(), call.params());
        tally.add("provisioningPushed", 1);
      } catch (StorefleetException e) {
        if (e.code() == ErrorCode.ALREADY_EXISTS) {
          continue;
        }
        tally.note("server " + server + ": " + call + " failed (" + e.code() + ": " + e.getMessage()
            + "); run the full doRawRestore again once " + server + " is up, what is there is skipped");
        complete = false;
        if (!e.code().definite()) {
          return;
        }
      }
    }
    if (complete) {
      tally.add("serversProvisioned", 1);
    }
  }

  /** One admin command that recreates {@code object} on another server. */
  private record AdminCall(AdminCommand command, String object, Map<String, String> params) {
    @Override
    public String toString() {
      return command.command() + " " + object;
    }
  }
}
