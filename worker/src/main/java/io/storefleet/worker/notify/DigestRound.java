package io.storefleet.worker.notify;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The daily digest, one mail per recipient for the whole cluster. Once a day at
 * {@code ZxBackup_NotifyDigestTime} (in the zone of the worker's clock) the server with the
 * smallest id that has a digest time gathers every server's waiting notices made before that time,
 * mails each recipient one digest, and tells each server what came of its notices; the others
 * leave it to that server. A server that cannot be asked keeps its notices for the next digest. A
 * digest that failed for a temporary reason is tried again with the notices' backoff.
 */
final class DigestRound {
  private static final Logger LOG = Logger.getLogger(DigestRound.class.getName());

  private final String serverId;
  private final Clock clock;
  private final Backoff backoff;
  private final MailSender mail;
  private final DeliveryObserver observer;
  private final DigestPeers peers;
  /** The digest time last handled and when a failed digest is due again; in memory: a restart handles it again. */
  private Instant lastCutoff;
  private Instant retryAt;

  DigestRound(String serverId, Clock clock, Backoff backoff, MailSender mail, DeliveryObserver observer,
      DigestPeers peers) {
    this.serverId = serverId;
    this.clock = clock;
    this.backoff = backoff;
    this.mail = mail;
    this.observer = observer;
    this.peers = peers;
  }

  void run(NoticeSettings s, Instant now) {
    if (s.digestTime() == null) {
      // Switched off here while notices waited: they go out at once rather than never.
      sendLocal(s, now.plusNanos(1));
      return;
    }
    Instant cutoff = cutoff(s, now);
    boolean due = lastCutoff == null || cutoff.isAfter(lastCutoff) || (retryAt != null && !now.isBefore(retryAt));
    if (!due) {
      return;
    }
    lastCutoff = cutoff;
    retryAt = null;
    List<String> servers = servers();
    for (String other : servers) {
      if (other.compareTo(serverId) >= 0) {
        break;
      }
      if (peers.sendsDigests(other)) {
        return; // a server before this one sends the cluster's digest
      }
    }
    Map<String, List<DigestItem>> byServer = new LinkedHashMap<>();
    for (String server : servers) {
      try {
        byServer.put(server, peers.waiting(server, cutoff));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "the digest of " + cutoff + " leaves out server " + server
            + " (its notices wait for the next digest): " + e.getMessage());
      }
    }
    send(s, byServer, cutoff, now);
  }

  private void sendLocal(NoticeSettings s, Instant cutoff) {
    Map<String, List<DigestItem>> mine = new LinkedHashMap<>();
    mine.put(serverId, peers.waiting(serverId, cutoff));
    if (!mine.get(serverId).isEmpty()) {
      send(s, mine, cutoff, clock.instant());
    }
  }

  private List<String> servers() {
    try {
      List<String> all = peers.servers();
      return all.contains(serverId) ? all : merged(all);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the cluster's servers are not known (" + e.getMessage() + "); this digest covers "
          + serverId + " only");
      return List.of(serverId);
    }
  }

  private List<String> merged(List<String> all) {
    List<String> out = new ArrayList<>(all);
    out.add(serverId);
    out.sort(null);
    return out;
  }

  private void send(NoticeSettings s, Map<String, List<DigestItem>> byServer, Instant cutoff, Instant now) {
    Map<String, List<DigestItem>> byRecipient = new LinkedHashMap<>();
    byServer.values().forEach(items -> items.forEach(
        i -> i.recipients().forEach(r -> byRecipient.computeIfAbsent(r, k -> new ArrayList<>()).add(i))));
    Map<String, List<DigestOutcome>> outcomes = new LinkedHashMap<>();
    int retryAttempt = 0;
    for (Map.Entry<String, List<DigestItem>> e : byRecipient.entrySet()) {
      String recipient = e.getKey();
      List<DigestItem> items = e.getValue();
      DigestOutcome template;
      try {
        if (s.relay() == null) {
          throw new DeliveryFailure(false, RoutedNotices.NOT_MAILED, null);
        }
        mail.send(s.relay(), List.of(recipient), DigestText.subject(items, cutoff, clock.getZone()),
            DigestText.body(items, cutoff, clock.getZone()), now, "digest " + cutoff);
        template = new DigestOutcome(null, 0, recipient, true, false, null);
        observer.delivered(Target.Kind.DIGEST.label(), DeliveryObserver.Result.SENT);
      } catch (DeliveryFailure f) {
        template = new DigestOutcome(null, 0, recipient, false, f.temporary(), f.getMessage());
        observer.delivered(Target.Kind.DIGEST.label(),
            f.temporary() ? DeliveryObserver.Result.RETRYING : DeliveryObserver.Result.FAILED);
        if (f.temporary()) {
          retryAttempt = Math.max(retryAttempt, items.stream().mapToInt(DigestItem::attempts).max().orElse(0) + 1);
        }
      }
      for (DigestItem i : items) {
        outcomes.computeIfAbsent(i.server(), k -> new ArrayList<>()).add(new DigestOutcome(i.uuid(), i.index(),
            recipient, template.sent(), template.temporary(), template.reason()));
      }
    }
    outcomes.forEach((server, list) -> {
      try {
        peers.report(server, list);
      } catch (RuntimeException ex) {
        // Its notices stay waiting and go into a later digest again (at least once).
        LOG.log(Level.WARNING, "server " + server + " was not told what its digest came to: " + ex.getMessage());
      }
    });
    if (retryAttempt > 0 && retryAttempt < backoff.attempts()) {
      retryAt = now.plus(backoff.after(retryAttempt));
    }
  }

  /** The digest time today if it has passed, else yesterday's. */
  private Instant cutoff(NoticeSettings s, Instant now) {
    ZonedDateTime z = now.atZone(clock.getZone());
    ZonedDateTime at = z.toLocalDate().atTime(s.digestTime()).atZone(clock.getZone());
    return (at.isAfter(z) ? at.minusDays(1) : at).toInstant();
  }
}
