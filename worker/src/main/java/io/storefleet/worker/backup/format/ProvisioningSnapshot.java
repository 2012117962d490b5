package io.storefleet.worker.backup.format;

import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.DistributionList;
import io.storefleet.worker.store.Domain;
import java.time.Instant;
import java.util.List;

/** The server-wide provisioning (domains, classes of service, lists): a line of {@code provisioning.log}. */
public record ProvisioningSnapshot(
    List<Domain> domains, List<Cos> coses, List<DistributionList> lists, long seq, Instant at) {

  public boolean sameAs(ProvisioningSnapshot o) {
    return o != null && domains.equals(o.domains) && coses.equals(o.coses) && lists.equals(o.lists);
  }
}
