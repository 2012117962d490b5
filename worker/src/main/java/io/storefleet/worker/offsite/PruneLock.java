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
 * naming when it was taken. An upload does not start while a live one is there, and a second
 * prune is refused. Only the prune's credentials can remove it; one older than {@link #STALE}
 * (a prune that died) is ignored by uploads and replaced by the next prune. One that does not
 * authenticate (planted with stolen upload credentials) is ignored, so it cannot stop uploads.
 */
final class PruneLock implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PruneLock.class.getName());
  /** Far above any prune's run (it reads indexes and deletes; it sends no packs). */
  static final Duration STALE = Duration.ofHours(6);

  record Content(@JsonProperty("server") String server, @JsonProperty("at") String at) {}

  private final RemoteRepository repo;
  private final String key;

  private PruneLock(RemoteRepository repo, String key) {
    this.repo = repo;
    this.key = key;
  }

  /** Takes the lock; CONFLICT when a live one is there. Stale ones are deleted. */
  static PruneLock take(RemoteRepository repo, Clock clock) throws IOException {
    for (String k : repo.store().list(repo.folder(RemoteRepository.Kind.LOCK))) {
      Optional<Content> held = content(repo, k);
      if (held.isPresent() && !stale(held.get(), clock)) {
        throw busy(repo, k, held.get(), "another doPruneRemoteBackup is running");
      }
      repo.store().delete(k);
    }
    String key = repo.folder(RemoteRepository.Kind.LOCK) + HexFormat.of().formatHex(RepositoryKey.random(16));
    byte[] plain = Json.encode(new Content(repo.serverId(), clock.instant().toString())).getBytes(StandardCharsets.UTF_8);
    repo.store().put(key, repo.seal(key, plain));
    return new PruneLock(repo, key);
  }

  /** CONFLICT when a live prune lock is on the copy: an upload then waits for the next scan. */
  static void checkNone(RemoteRepository repo, Clock clock) throws IOException {
    for (String k : repo.store().list(repo.folder(RemoteRepository.Kind.LOCK))) {
      Optional<Content> held = content(repo, k);
      if (held.isPresent() && !stale(held.get(), clock)) {
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

  private static boolean stale(Content c, Clock clock) {
    try {
      return Instant.parse(c.at()).plus(STALE).isBefore(clock.instant());
    } catch (RuntimeException e) {
      return true;
    }
  }

  private static StorefleetException busy(RemoteRepository repo, String key, Content c, String then) {
    return ErrorCode.CONFLICT.exception("a remote prune of the off-site copy at " + repo.location() + " holds its"
        + " lock " + key + " since " + c.at() + "; " + then + ". A lock older than " + STALE.toHours()
        + " hours (a prune that died) is ignored", repo.serverId());
  }

  @Override
  public void close() throws IOException {
    repo.store().delete(key);
  }
}
