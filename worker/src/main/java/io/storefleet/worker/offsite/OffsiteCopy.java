package io.storefleet.worker.offsite;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.protocol.error.StorefleetException;
import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.FetchedPath;
import io.storefleet.worker.backup.format.OffsiteSource;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.service.BackupProperties;
import io.storefleet.worker.service.BackupProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A worker's off-site copy (docs/backup-format.md, "The off-site copy"): uploads its backup path,
 * and reads a server's copy back to check it or to rebuild a backup path from it. Every call
 * blocks and runs on the operation queue's thread.
 */
public final class OffsiteCopy {
  private static final Logger LOG = Logger.getLogger(OffsiteCopy.class.getName());
  /** Plain bytes per pack: big enough for few requests, small enough to resend on a failure. */
  static final long PACK_TARGET = 16L << 20;
  /** Whole-upload attempts after the S3 client's own retries of each request. */
  static final int ATTEMPTS = 3;

  /** Opens the object store of a volume (tests wrap it to fail on purpose). */
  @FunctionalInterface
  public interface StoreOpener {
    ObjectStore open(RemoteVolume v, RemoteSecrets secrets);
  }

  private final String serverId;
  private final Supplier<RemoteVolume> volume;
  private final Path stateDir;
  private final Clock clock;
  private final StoreOpener opener;
  private final int kdfIterations;
  private final long packTarget;
  private final Bandwidth.Ticker ticker;
  private final StoreOpener pruneOpener;
  /** This run of the worker, named in the prune locks it writes (see {@link PruneLock}). */
  private final String process = java.util.HexFormat.of().formatHex(RepositoryKey.random(8));

  public OffsiteCopy(String serverId, Supplier<RemoteVolume> volume, Path stateDir, Clock clock, StoreOpener opener,
      int kdfIterations, long packTarget, Bandwidth.Ticker ticker) {
    this(serverId, volume, stateDir, clock, opener, S3ObjectStore::openForPrune, kdfIterations, packTarget, ticker);
  }

  /** @param pruneOpener opens the store with the prune credentials, the only one that deletes */
  public OffsiteCopy(String serverId, Supplier<RemoteVolume> volume, Path stateDir, Clock clock, StoreOpener opener,
      StoreOpener pruneOpener, int kdfIterations, long packTarget, Bandwidth.Ticker ticker) {
    this.pruneOpener = pruneOpener;
    this.serverId = serverId;
    this.volume = volume;
    this.stateDir = stateDir;
    this.clock = clock;
    this.opener = opener;
    this.kdfIterations = kdfIterations;
    this.packTarget = packTarget;
    this.ticker = ticker;
  }

  /** The worker's copy, configured by its backup properties, its state in {@code dataDir}. */
  public static OffsiteCopy of(String serverId, BackupProperties props, Path dataDir, Clock clock) {
    return new OffsiteCopy(serverId, () -> RemoteVolume.of(props), dataDir, clock, S3ObjectStore::open,
        RepositoryKey.DEFAULT_ITERATIONS, PACK_TARGET, Bandwidth.Ticker.SYSTEM);
  }

  /** The configured volume, or null when ZxBackup_RemoteEndpoint is none. */
  public RemoteVolume volume() {
    return volume.get();
  }

  private RemoteVolume required() {
    RemoteVolume v = volume.get();
    if (v == null) {
      throw ErrorCode.BAD_VALUE.exception("server " + serverId + " has no off-site copy configured; set "
          + BackupProperty.REMOTE_ENDPOINT.canonicalName() + " (and the bucket and secrets file) with setProperty,"
          + " see docs/operations.md, \"Off-site copy\"", serverId);
    }
    return v;
  }

  /** Checks that an upload or fetch could start: a volume and a readable secrets file. */
  public void checkConfigured() {
    required().secrets(serverId);
  }

  /**
   * Uploads what the copy lacks. A failed attempt is retried (it resumes where it stopped); when
   * every attempt fails, IO_ERROR says what is not uploaded. The local path is never changed.
   */
  public UploadReport upload(BackupEngine engine, OperationContext ctx) throws IOException, InterruptedException {
    return upload(engine, false, ctx);
  }

  /**
   * Uploads what the copy lacks; {@code takeOver} lets this backup path's snapshot become the
   * newest although the newest there is of another path (see {@link OffsiteUpload#run}).
   */
  public UploadReport upload(BackupEngine engine, boolean takeOver, OperationContext ctx)
      throws IOException, InterruptedException {
    return upload(() -> OffsiteSource.capture(engine), takeOver, ctx);
  }

  /** The cut each attempt uploads: a new one per attempt, or the same one (a prune's). */
  @FunctionalInterface
  private interface Cut {
    OffsiteSource take() throws IOException;
  }

  private UploadReport upload(Cut cut, boolean takeOver, OperationContext ctx) throws IOException, InterruptedException {
    RemoteVolume v = required();
    RemoteSecrets secrets = v.secrets(serverId);
    IOException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try (ObjectStore store = new ListedOnce(opener.open(v, secrets), v.serverPrefix(serverId))) {
        RemoteRepository repo = RemoteRepository.openOrCreate(store, v.serverPrefix(serverId), serverId,
            secrets.passphrase().toCharArray(), kdfIterations);
        PruneLock.checkNone(repo, clock);
        try (RemoteState state = RemoteState.open(RemoteState.file(stateDir, repo.stateName()), repo)) {
          OffsiteSource src = cut.take();
          return new OffsiteUpload(repo, state, new Bandwidth(v.bandwidthKiBps(), ticker), packTarget,
              v.readBackPercent(), clock).run(src, takeOver, steps(ctx, "upload"));
        }
      } catch (IOException e) {
        last = e;
        LOG.log(Level.WARNING, "off-site upload of " + serverId + " to " + v.endpoint() + " failed (attempt "
            + attempt + " of " + ATTEMPTS + "): " + e.getMessage());
        if (attempt < ATTEMPTS) {
          ticker.pause(1_000_000_000L * attempt);
        }
      }
    }
    throw ErrorCode.IO_ERROR.exception("the off-site upload to " + v.endpoint() + " bucket " + v.bucket()
        + " failed " + ATTEMPTS + " times (" + last.getMessage() + "); the local backup is complete, and what was"
        + " not uploaded is uploaded by the next SmartScan or by 'doSmartScan remote_metadata_upload true'", serverId);
  }

  /** Checks that a prune could start: a volume, its secrets and separate prune credentials. */
  public void checkPruneConfigured() {
    required().pruneSecrets(serverId);
  }

  /**
   * Uploads the path as it is now (after the local purge), then prunes the copy with the prune
   * credentials: see {@link RemotePrune}. The upload runs with the upload credentials, which
   * never delete. One cut of the path is both what is uploaded and what the prune keeps live. A
   * dry run sends nothing: it counts against the newest snapshot as it is, and its upload is null.
   */
  public Pruned prune(BackupEngine engine, int keep, boolean dryRun, OperationContext ctx)
      throws IOException, InterruptedException {
    RemoteVolume v = required();
    RemoteSecrets pruneSecrets = v.pruneSecrets(serverId);
    OffsiteSource src = OffsiteSource.capture(engine);
    UploadReport up = dryRun ? null : upload(() -> src, false, ctx);
    try (ObjectStore store = pruneOpener.open(v, pruneSecrets)) {
      RemoteRepository repo = RemoteRepository.open(store, v.serverPrefix(serverId), serverId,
          pruneSecrets.passphrase().toCharArray());
      RemotePrune prune = new RemotePrune(repo, clock, process, RemoteState.file(stateDir, repo.stateName()));
      return new Pruned(up, prune.run(src.blobs().keySet(), src.pathIdentity(), keep, dryRun, steps(ctx, "prune")));
    }
  }

  /** This run's id, which its prune locks name. */
  String process() {
    return process;
  }

  /** A prune: the upload it began with (null in a dry run), and what it removed. */
  public record Pruned(UploadReport upload, RemotePrune.Report prune) {}

  /** Rebuilds {@code server}'s backup path from its newest snapshot into the empty folder {@code dest}. */
  public OffsiteRead.Report fetch(String server, Path dest, OperationContext ctx) throws IOException {
    return fetch(server, null, dest, ctx);
  }

  /** Rebuilds {@code server}'s backup path from its snapshot {@code snapshot} (null: the newest). */
  public OffsiteRead.Report fetch(String server, Long snapshot, Path dest, OperationContext ctx) throws IOException {
    return fetch(server, snapshot, false, dest, ctx);
  }

  /**
   * Rebuilds {@code server}'s backup path from its snapshot {@code snapshot} (null: the newest);
   * with {@code metadataOnly}, without its packs: a path for the restores that read the blobs from
   * the bucket ({@code blobs_archive remote:<server>}).
   */
  public OffsiteRead.Report fetch(String server, Long snapshot, boolean metadataOnly, Path dest, OperationContext ctx)
      throws IOException {
    try (ObjectStore store = open()) {
      RemoteRepository repo = repository(store, server);
      OffsiteRead read = new OffsiteRead(repo);
      try {
        return read.into(FetchedPath.begin(dest, server), snapshot, metadataOnly, steps(ctx, "fetch"));
      } catch (StorefleetException e) {
        if (!read.prunedWhileRead(e)) {
          throw e;
        }
        String then = snapshot == null ? "the copy is whole: empty " + dest + " and run doFetchRemoteBackup again"
            : "it is no longer in the copy (its keep_snapshots window passed): empty " + dest + " and fetch the"
                + " newest, or another snapshot the copy still holds";
        throw ErrorCode.CONFLICT.exception("snapshot " + read.selected() + " of " + server + "'s off-site copy was"
            + " deleted by a doPruneRemoteBackup while it was fetched (" + e.getMessage() + "); " + then, serverId);
      }
    }
  }

  /**
   * The blobs of {@code server}'s newest snapshot, read from the bucket on demand (see {@link
   * RemoteBlobs}); the caller closes it.
   */
  public io.storefleet.worker.backup.format.BlobReader blobs(String server) throws IOException {
    ObjectStore store = open();
    try {
      return RemoteBlobs.open(store, repository(store, server), null);
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** Reads every object of {@code server}'s copy and checks it, writing nothing. */
  public OffsiteRead.Report check(String server, OperationContext ctx) throws IOException {
    try (ObjectStore store = open()) {
      RemoteRepository repo = repository(store, server);
      OffsiteRead read = new OffsiteRead(repo);
      try {
        return read.into(FetchedPath.verifying(server), null, steps(ctx, "check"));
      } catch (StorefleetException e) {
        if (!read.prunedWhileRead(e)) {
          throw e;
        }
        // A prune deleted the snapshot while it was checked: check the one the prune wrote.
        return new OffsiteRead(repo).into(FetchedPath.verifying(server), null, steps(ctx, "check"));
      }
    }
  }

  /** Every snapshot of {@code server}'s copy, oldest first. */
  List<CopyReader.Snapshot> snapshots(String server) throws IOException {
    try (ObjectStore store = open()) {
      return new OffsiteRead(repository(store, server)).snapshots();
    }
  }

  private ObjectStore open() {
    RemoteVolume v = required();
    return opener.open(v, v.secrets(serverId));
  }

  private RemoteRepository repository(ObjectStore store, String server) throws IOException {
    RemoteVolume v = required();
    return RemoteRepository.open(store, v.serverPrefix(server), server, v.secrets(serverId).passphrase().toCharArray());
  }

  private static OffsiteUpload.Steps steps(OperationContext ctx, String phase) {
    if (ctx == null) {
      return OffsiteUpload.Steps.NONE;
    }
    return new OffsiteUpload.Steps() {
      @Override
      public void checkStopped() {
        ctx.checkStopped();
      }

      @Override
      public void progress(long done, long total, long bytes) {
        ctx.progress(phase, done, total, bytes);
      }
    };
  }
}
