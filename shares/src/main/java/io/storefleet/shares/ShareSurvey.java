package io.storefleet.shares;

import io.storefleet.protocol.error.StorefleetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A share check of the whole cluster: gathers every server's facts, learns which item ids the
 * check needs from which map, asks the servers holding those maps, and checks. The maps are
 * merged by account here; their item ids never leave their servers except as answers.
 */
public final class ShareSurvey {
  /**
   * The worker pool that surveys wait on, on a worker and on a coordinator: a survey blocks on
   * every server's answer, so it must never wait on the pool those answers need.
   */
  public static final String POOL = "storefleet-share-surveys";

  private final ShareServers servers;

  public ShareSurvey(ShareServers servers) {
    this.servers = servers;
  }

  public ShareServers servers() {
    return servers;
  }

  /** Checks every share of the cluster with the selected maps. */
  public ShareReport check(MapSelection selection) {
    return check(facts(), selection);
  }

  /** Every server's facts; a server that cannot be asked fails the whole survey, naming it. */
  public List<ServerShares> facts() {
    List<String> all = servers.servers();
    try {
      return servers.facts(all);
    } catch (StorefleetException e) {
      throw new StorefleetException(e.code(), "a share check needs every server's shares, and server "
          + (e.server() == null ? "?" : e.server()) + " failed: " + e.getMessage(), e.server(), e);
    }
  }

  /** Checks {@code facts}: a first pass finds the map look-ups needed, the second uses their answers. */
  public ShareReport check(List<ServerShares> facts, MapSelection selection) {
    // Both passes read the same facts, and the index does not change while it is read.
    ShareIndex index = new ShareIndex(facts, selection);
    Translations.Recording questions = new Translations.Recording();
    ShareCheck.check(facts, index, questions);
    Map<String, List<IdRef>> answers = new LinkedHashMap<>();
    for (Map.Entry<String, List<IdRef>> e : questions.questions().entrySet()) {
      List<IdRef> refs = e.getValue();
      List<IdRef> got = new ArrayList<>(refs.size());
      for (int i = 0; i < refs.size(); i += 10_000) {
        got.addAll(servers.translate(e.getKey(), refs.subList(i, Math.min(refs.size(), i + 10_000))));
      }
      answers.put(e.getKey(), got);
    }
    return ShareCheck.check(facts, index, Translations.known(answers));
  }
}
