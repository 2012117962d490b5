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
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The lock a remote prune holds on a copy while it deletes: a sealed object under {@code locks/}
 * naming when it was taken and by which run of the worker ({@code process}, random per {@link
 * OffsiteCopy}, of which a worker has one). An upload does not start while a live one is there,
 * and a second prune is refused. Only the server's own prunes write its lock, so one written by
 * an earlier run of this worker is a prune killed with it: ignored by uploads and replaced by the
 * next prune (without that, a kill would stop every upload for {@link #STALE}). One older than
 * {@link #STALE} is taken for a prune that died too. One that does not authenticate (planted with
 * stolen upload credentials) is ignored, so it cannot stop uploads; being sealed, a lock cannot
 * be made to name this run either.
 */
final class PruneLock implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PruneLock.class.getName());
  /** Far above any prune's run (it reads indexes and deletes; it sends no packs). */
  static final Duration STALE = Duration.ofHours(6);

  /** {@code process} is null in the locks of versions before it was written: a run before this one. */
  record Content(@JsonProperty("server") String server, @JsonProperty("at") String at,
      @JsonProperty("process") String process) {}

  private final RemoteRepository repo;
  private final String key;

  private PruneLock(RemoteRepository repo, String key) {
    this.repo = repo;
    this.key = key;
  }

  /** Takes the lock for the run {@code process}; CONFLICT when a live one is there. Stale ones are deleted. */
  static PruneLock take(RemoteRepository repo, Clock clock, String process) throws IOException {
    for (String k : repo.store().list(repo.folder(RemoteRepository.Kind.LOCK))) {
      Optional<Content> held = content(repo, k);
      if (held.isPresent() && live(held.get(), clock, process)) {
        throw busy(repo, k, held.get(), "another doPruneRemoteBackup is running");
      }
      repo.store().delete(k);
    }
    String key = repo.folder(RemoteRepository.Kind.LOCK) + HexFormat.of().formatHex(RepositoryKey.random(16));
    byte[] plain = Json.encode(new Content(repo.serverId(), clock.instant().toString(), process))
        .getBytes(StandardCharsets.UTF_8);
    repo.store().put(key, repo.seal(key, plain));
    return new PruneLock(repo, key);
  }

  /**
   * CONFLICT when a prune lock of the run {@code process} that is not stale is on the copy: an
   * upload then waits for the next scan.
   */
  static void checkNone(RemoteRepository repo, Clock clock, String process) throws IOException {
    for (String k : repo.store().list(repo.folder(RemoteRepository.Kind.LOCK))) {
      Optional<Content> held = content(repo, k);
      if (held.isPresent() && live(held.get(), clock, process)) {
        throw busy(repo, k, held.get(), "nothing was uploaded; the next SmartScan uploads");
      }
    }
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

  /** Held by a prune of this run that has not outlived {@link #STALE}; any other is a prune that died. */
  private static boolean live(Content c, Clock clock, String process) {
    if (!process.equals(c.process())) {
      return false;
    }
    try {
      return !Instant.parse(c.at()).plus(STALE).isBefore(clock.instant());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static StorefleetException busy(RemoteRepository repo, String key, Content c, String then) {
    return ErrorCode.CONFLICT.exception("a remote prune of the off-site copy at " + repo.location() + " holds its"
        + " lock " + key + " since " + c.at() + "; " + then + ". A lock older than " + STALE.toHours()
        + " hours, or left by an earlier run of this worker (a prune that died), is ignored", repo.serverId());
  }

  @Override
  public void close() throws IOException {
    repo.store().delete(key);
  }
}
