package io.storefleet.worker.offsite;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The lock a remote prune holds on a copy while it reads and deletes: a sealed object under
 * {@code locks/} naming when it was last refreshed and by which run of the worker ({@code
 * process}, random per {@link OffsiteCopy}). A running prune refreshes it every {@link #REFRESH}
 * (a new object, then the old one deleted) at its steps (see {@link #refreshing}); a lock of any
 * process counts as live while its last refresh is at most {@link #GRACE} old. While one is live,
 * an upload does not start and a second prune is refused, whichever worker process runs them (two
 * may act for one server during a handover, or a restarted worker beside an old one still
 * pruning). A prune killed leaves a lock that stops uploads for at most the grace, then is
 * ignored, and replaced by the next prune. A prune that could not refresh within the grace (a
 * stalled step) deletes nothing more: an upload may have started meanwhile. One that does not
 * authenticate (planted with stolen upload credentials) is ignored, so it cannot stop uploads.
 * Times are the workers' clocks: they must agree to well within the grace (NTP does).
 */
final class PruneLock implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PruneLock.class.getName());
  /** How often a running prune rewrites its lock. */
  static final Duration REFRESH = Duration.ofMinutes(1);
  /**
   * How long a lock counts as live after its last refresh: several refreshes (a slow request
   * does not lose it) plus clock differences between servers, short enough that a killed prune
   * holds uploads back for minutes, not until the next scan after hours.
   */
  static final Duration GRACE = Duration.ofMinutes(5);
  /**
   * How long before its lock lapses a prune stops: a step begun with less left (a delete, the
   * next refresh's PUT) could end after others took the lock for dead.
   */
  static final Duration MARGIN = Duration.ofMinutes(1);

  /** {@code at}: the lock's last refresh. {@code process} is null in the locks of versions before it was written. */
  record Content(@JsonProperty("server") String server, @JsonProperty("at") String at,
      @JsonProperty("process") String process) {}

  private final RemoteRepository repo;
  private final Clock clock;
  private final String process;
  private String key;
  private Instant refreshed;

  private PruneLock(RemoteRepository repo, Clock clock, String process) {
    this.repo = repo;
    this.clock = clock;
    this.process = process;
  }

  /**
   * Takes the lock for the run {@code process}; CONFLICT when a live one is there. Stale ones are
   * deleted. The locks are listed again once this one is written: a prune of another process that
   * listed before this one wrote has written its lock too, and then this one deletes its own and
   * stops. Either the other saw this lock and stops as well (both said to run again), or it did
   * not and goes on alone: never both.
   */
  static PruneLock take(RemoteRepository repo, Clock clock, String process) throws IOException {
    for (String k : repo.store().list(repo.folder(RemoteRepository.Kind.LOCK))) {
      Optional<Content> held = content(repo, k);
      if (held.isPresent() && live(held.get(), clock)) {
        throw busy(repo, k, held.get(), "another doPruneRemoteBackup is running");
      }
      repo.store().delete(k);
    }
    PruneLock lock = new PruneLock(repo, clock, process);
    lock.write(clock.instant());
    try {
      for (String k : repo.store().list(repo.folder(RemoteRepository.Kind.LOCK))) {
        Optional<Content> held = k.equals(lock.key) ? Optional.empty() : content(repo, k);
        if (held.isPresent() && live(held.get(), clock)) {
          throw busy(repo, k, held.get(), "another doPruneRemoteBackup took it while this one did; this one deleted"
              + " its own lock and nothing else, run doPruneRemoteBackup again");
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not yet the caller's resource: left here, it would hold uploads back for the grace.
      try {
        lock.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return lock;
  }

  /** CONFLICT when a live prune lock of any process is on the copy: an upload then waits for the next scan. */
  static void checkNone(RemoteRepository repo, Clock clock) throws IOException {
    checkNone(repo, clock, repo.store().list(repo.folder(RemoteRepository.Kind.LOCK)),
        "nothing was uploaded; the next SmartScan uploads");
  }

  /**
   * CONFLICT, saying {@code then}, when a live prune lock is on the copy now (listed again, past
   * the upload's listing): an upload checks it again right before it writes its snapshot.
   */
  static void checkNoneNow(RemoteRepository repo, Clock clock, String then) throws IOException {
    checkNone(repo, clock, repo.store().listNow(repo.folder(RemoteRepository.Kind.LOCK)), then);
  }

  private static void checkNone(RemoteRepository repo, Clock clock, List<String> locks, String then) throws IOException {
    for (String k : locks) {
      Optional<Content> held = content(repo, k);
      if (held.isPresent() && live(held.get(), clock)) {
        throw busy(repo, k, held.get(), then);
      }
    }
  }

  /**
   * Rewrites the lock when {@link #REFRESH} has passed since it was last written. CONFLICT when
   * more than {@link #GRACE} has (until the new lock's PUT ended), or when less than {@link
   * #MARGIN} of it is left: others took it for dead, so the prune must delete nothing more.
   */
  void refresh() throws IOException {
    Instant now = clock.instant();
    checkHeld(refreshed, now);
    if (!now.isBefore(refreshed.plus(REFRESH))) {
      Instant previous = refreshed;
      String old = key;
      write(now);
      // The new lock counts from its PUT's end: a PUT that ended past the old lock's grace left a
      // time without a live lock, when an upload may have started.
      checkHeld(previous, clock.instant(), old);
      deleteOld(old);
    }
    // A step begun this close to the lapse (a delete, the next refresh's PUT) may end past it.
    if (refreshed.plus(GRACE).minus(MARGIN).isBefore(clock.instant())) {
      throw lapsed(refreshed, clock.instant(), "less than " + MARGIN.toSeconds() + " s from lapsing");
    }
  }

  private void checkHeld(Instant since, Instant now, String... alsoDelete) throws IOException {
    if (since.plus(GRACE).isBefore(now)) {
      for (String k : alsoDelete) {
        deleteOld(k);
      }
      throw lapsed(since, now, "not refreshed for " + Duration.between(since, now).toSeconds() + " s (more than "
          + GRACE.toMinutes() + " minutes)");
    }
  }

  private StorefleetException lapsed(Instant since, Instant now, String how) {
    return ErrorCode.CONFLICT.exception("the remote prune of the off-site copy at " + repo.location() + " held its"
        + " lock " + key + ", last written at " + since + ", " + how + " at " + now + ", so uploads may have started"
        + " meanwhile; it stopped before deleting more (the copy fetches whole), run doPruneRemoteBackup again",
        repo.serverId());
  }

  /** A replaced lock left behind (a failed delete) is dead within the grace and deleted by the next prune. */
  private void deleteOld(String old) {
    try {
      repo.store().delete(old);
    } catch (IOException e) {
      LOG.warning("the replaced off-site prune lock " + old + " was not deleted (" + e.getMessage() + "); it lapses"
          + " within " + GRACE.toMinutes() + " minutes and the next prune deletes it");
    }
  }

  /** {@code steps}, refreshing this lock at each of them (when due). */
  OffsiteUpload.Steps refreshing(OffsiteUpload.Steps steps) {
    return new OffsiteUpload.Steps() {
      @Override
      public void checkStopped() {
        steps.checkStopped();
        try {
          refresh();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }

      @Override
      public void progress(long done, long total, long bytes) {
        steps.progress(done, total, bytes);
      }
    };
  }

  private void write(Instant at) throws IOException {
    String next = repo.folder(RemoteRepository.Kind.LOCK) + HexFormat.of().formatHex(RepositoryKey.random(16));
    byte[] plain = Json.encode(new Content(repo.serverId(), at.toString(), process)).getBytes(StandardCharsets.UTF_8);
    repo.store().put(next, repo.seal(next, plain));
    key = next;
    refreshed = at;
  }

  private static Optional<Content> content(RemoteRepository repo, String k) throws IOException {
    try {
      byte[] plain = repo.read(k);
      return Optional.of(Json.decode(new String(plain, StandardCharsets.UTF_8), Content.class));
    } catch (StorefleetException | IllegalArgumentException e) {
      LOG.warning("off-site prune lock " + k + " is not one of this copy's (" + e.getMessage() + "); ignored");
      return Optional.empty();
    }
  }

  /** Refreshed at most {@link #GRACE} ago, by any process. */
  private static boolean live(Content c, Clock clock) {
    try {
      return !Instant.parse(c.at()).plus(GRACE).isBefore(clock.instant());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static StorefleetException busy(RemoteRepository repo, String key, Content c, String then) {
    return ErrorCode.CONFLICT.exception("a remote prune (worker run " + c.process() + ") of the off-site copy at "
        + repo.location() + " holds its lock " + key + ", last refreshed at " + c.at() + "; " + then + ". A lock not"
        + " refreshed for " + GRACE.toMinutes() + " minutes is a prune that died, and is ignored", repo.serverId());
  }

  @Override
  public void close() throws IOException {
    repo.store().delete(key);
  }
}
