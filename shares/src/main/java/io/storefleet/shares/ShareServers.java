package io.storefleet.shares;

import java.util.List;

/**
 * The servers of the cluster as a share check and fix see them. Blocking: call it from a worker
 * thread or the queue's thread. Over the event bus in a cluster ({@link BusShareServers}); tests
 * and benchmarks plug in the services directly.
 */
public interface ShareServers {
  /** Every server, sorted; a check needs all of them. */
  List<String> servers();

  ServerShares facts(String server);

  /**
   * The facts of every server in {@code all}, in that order; the first failure is thrown.
   * Implementations ask the servers at once where they can.
   */
  default List<ServerShares> facts(List<String> all) {
    List<ServerShares> out = new java.util.ArrayList<>();
    for (String s : all) {
      out.add(facts(s));
    }
    return out;
  }

  List<IdRef> translate(String server, List<IdRef> refs);

  List<FixOutcome> apply(String server, List<ShareFix> fixes);
}
