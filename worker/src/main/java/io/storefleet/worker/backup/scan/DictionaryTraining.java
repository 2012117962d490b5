package io.storefleet.worker.backup.scan;

import io.storefleet.worker.backup.format.BackupEngine;
import io.storefleet.worker.backup.format.BlobCodec;
import io.storefleet.worker.backup.format.BlobPacks;
import io.storefleet.worker.queue.OperationContext;
import io.storefleet.worker.queue.OperationStoppedException;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.ScanView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The first scan that stores enough content trains the path's zstd dictionary on a sample of it,
 * spread over the accounts, before storing any: every blob it then writes uses it. A store that
 * must read messages whole to list them gives message heads instead ({@link
 * ScanView#contentHeads}), so the scan still reads each message once.
 */
final class DictionaryTraining {
  private static final System.Logger LOG = System.getLogger(DictionaryTraining.class.getName());

  /**
   * Sample bytes a dictionary is trained on (about 0.1 s of training). Measured on the benchmark's
   * mail: half as much made 3 % larger blobs, half as much again gained under 1 %.
   */
  private static final long DICTIONARY_SAMPLE_BYTES = 1L << 20;
  /** Heads are read from at most this many accounts, spread over the list: each costs a login. */
  private static final int HEAD_ACCOUNTS = 32;

  private final MailStore store;
  private final ScanView view;
  private final BackupEngine engine;
  private final int threads;
  private final AtomicInteger unreadable = new AtomicInteger();

  /** @param threads how many accounts' heads are read at once */
  DictionaryTraining(MailStore store, ScanView view, BackupEngine engine, int threads) {
    this.store = store;
    this.view = view;
    this.engine = engine;
    this.threads = threads;
  }

  /** @param itemCounts each account's item count, as the scan counted them */
  void trainIfNone(OperationContext ctx, List<Account> accounts, Map<String, Integer> itemCounts, Set<String> disabledCos) {
    BlobPacks blobs = engine.blobs();
    if (engine.bloblessMode() || blobs.hasDictionary()) {
      return;
    }
    List<Account> sampled = new ArrayList<>();
    long items = 0;
    for (Account a : accounts) {
      if (!disabledCos.contains(a.cos().toLowerCase(Locale.ROOT))) {
        sampled.add(a);
        items += itemCounts.getOrDefault(a.id(), 0);
      }
    }
    if (sampled.isEmpty() || !engine.dictionaryAttempts().due(items)) {
      return;
    }
    Optional<List<byte[]>> heads = heads(ctx, sampled);
    List<byte[]> samples = heads.isPresent() ? heads.get() : itemSamples(ctx, sampled, blobs);
    if (!enough(samples)) {
      // An account that could not be read (a server down, a refused login) says nothing of the
      // site's size: the next scan samples again rather than waiting for the site to double.
      if (unreadable.get() == 0) {
        engine.dictionaryAttempts().fellShort(items);
      }
      return;
    }
    try {
      blobs.trainDictionary(samples);
    } catch (IOException e) {
      // Blobs are then stored without a dictionary, as before one existed; the next scan retries.
      LOG.log(System.Logger.Level.WARNING, "could not store a compression dictionary in " + engine.path().root()
          + ": " + e.getMessage());
    }
  }

  /** Whether {@code samples} are enough to train a dictionary on. */
  private static boolean enough(List<byte[]> samples) {
    long bytes = samples.stream().mapToLong(s -> Math.min(s.length, BlobCodec.SAMPLE_BYTES)).sum();
    return samples.size() >= BlobCodec.MIN_SAMPLES && bytes >= BlobCodec.MIN_SAMPLE_BYTES;
  }

  /**
   * Heads from up to {@link #HEAD_ACCOUNTS} accounts; empty when the store has none to give. The
   * first account is asked alone (a store without heads answers at once); the others on the
   * scan's threads, since each costs a login and round trips that mostly wait for the server.
   * When small accounts leave the heads too few to train on, the accounts that gave their full
   * share are asked once more for the rest of the budget, so a site with enough mail in all
   * trains on its first scan.
   */
  private Optional<List<byte[]>> heads(OperationContext ctx, List<Account> accounts) {
    int step = (accounts.size() + HEAD_ACCOUNTS - 1) / HEAD_ACCOUNTS;
    int chosen = (accounts.size() + step - 1) / step;
    int budget = (int) (DICTIONARY_SAMPLE_BYTES / BlobCodec.SAMPLE_BYTES);
    int perAccount = Math.max(1, budget / chosen);
    List<Account> asked = new ArrayList<>();
    for (int k = 0; k < accounts.size(); k += step) {
      asked.add(accounts.get(k));
    }
    Optional<List<byte[]>> first = headsOf(asked.get(0), perAccount);
    if (first != null && first.isEmpty()) {
      return Optional.empty();
    }
    ctx.progress("training a compression dictionary", 0, -1, 0);
    List<List<byte[]>> each = new ArrayList<>();
    each.add(first == null ? List.of() : first.get());
    each.addAll(headsOf(ctx, asked.subList(1, asked.size()), perAccount));
    List<byte[]> out = concat(each);
    if (enough(out)) {
      return Optional.of(out);
    }
    List<Integer> full = new ArrayList<>();
    for (int k = 0; k < each.size(); k++) {
      if (each.get(k).size() >= perAccount) {
        full.add(k);
      }
    }
    if (full.isEmpty() || out.size() >= budget) {
      return Optional.of(out);
    }
    int more = perAccount + (budget - out.size() + full.size() - 1) / full.size();
    List<List<byte[]>> again = headsOf(ctx, full.stream().map(asked::get).toList(), more);
    for (int k = 0; k < full.size(); k++) {
      if (again.get(k).size() > each.get(full.get(k)).size()) {
        each.set(full.get(k), again.get(k));
      }
    }
    return Optional.of(concat(each));
  }

  private static List<byte[]> concat(List<List<byte[]>> each) {
    List<byte[]> out = new ArrayList<>();
    each.forEach(out::addAll);
    return out;
  }

  /**
   * The heads of each of {@code accounts} in their order, whatever order the reads end in (the
   * same samples train the same dictionary); none of one that cannot be read.
   */
  private List<List<byte[]>> headsOf(OperationContext ctx, List<Account> accounts, int perAccount) {
    List<List<byte[]>> out = new ArrayList<>();
    if (accounts.isEmpty()) {
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, accounts.size()), r -> {
      Thread t = new Thread(r, "storefleet-scan-heads");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Optional<List<byte[]>>>> reads = new ArrayList<>();
      for (Account a : accounts) {
        reads.add(pool.submit(() -> headsOf(a, perAccount)));
      }
      for (Future<Optional<List<byte[]>>> read : reads) {
        Optional<List<byte[]>> some = read.get();
        out.add(some == null ? List.of() : some.orElse(List.of()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationStoppedException(ctx.operation().uuid());
    } catch (ExecutionException e) {
      // headsOf answers every RuntimeException: only an Error gets here.
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return out;
  }

  /** The account's heads, or null when it cannot be read (the scan meets it again and reports it). */
  private Optional<List<byte[]>> headsOf(Account a, int perAccount) {
    try {
      return view.contentHeads(a.id(), perAccount, BlobCodec.SAMPLE_BYTES);
    } catch (RuntimeException e) {
      unreadable.incrementAndGet();
      return null; // fewer samples change little
    }
  }

  /** Every n-th item not stored yet, spread over every account, about {@link #DICTIONARY_SAMPLE_BYTES} in all. */
  private List<byte[]> itemSamples(OperationContext ctx, List<Account> accounts, BlobPacks blobs) {
    record Candidate(String accountId, int itemId) {}
    List<Candidate> missing = new ArrayList<>();
    Set<String> digests = new HashSet<>();
    long sampleable = 0;
    for (Account a : accounts) {
      for (Item i : store.items(a.id())) {
        if (!blobs.has(i.digest()) && digests.add(i.digest())) {
          missing.add(new Candidate(a.id(), i.id()));
          sampleable += Math.min(i.size(), BlobCodec.SAMPLE_BYTES);
        }
      }
    }
    if (missing.size() < BlobCodec.MIN_SAMPLES || sampleable < BlobCodec.MIN_SAMPLE_BYTES) {
      return List.of();
    }
    ctx.progress("training a compression dictionary", 0, -1, 0);
    // Every step-th item, so that the samples come from every account and add up to the budget.
    int step = (int) Math.max(1, Math.min(missing.size() / BlobCodec.MIN_SAMPLES, sampleable / DICTIONARY_SAMPLE_BYTES));
    List<byte[]> samples = new ArrayList<>();
    for (int k = 0; k < missing.size(); k += step) {
      try {
        samples.add(store.content(missing.get(k).accountId(), missing.get(k).itemId()));
      } catch (RuntimeException e) {
        unreadable.incrementAndGet(); // the scan meets it again and reports it
      }
    }
    return samples;
  }
}
