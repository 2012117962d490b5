package io.storefleet.worker.store;

import java.util.List;

/** A distribution list with its member addresses. */
public record DistributionList(String id, String name, List<String> members) {
  public DistributionList {
    members = List.copyOf(members);
  }
}
