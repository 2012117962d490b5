package io.storefleet.worker.store.local;

import static io.storefleet.worker.store.Mutation.CONTENT_RESTORED;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.store.MissingContent;
import io.storefleet.worker.store.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The store's one content volume, id 1: its blob directory. Contents are checked and written
 * outside the store's lock (content files are named by their digest, so writers of different
 * digests never meet), and only the journal entries are committed under it; blob restores can
 * thus write on several threads.
 */
final class ContentVolume {
  static final int ID = 1;

  private final StoreLock lock;
  private final StoreContext ctx;
  private final BlobFiles blobs;
  private final Path dir;

  ContentVolume(StoreLock lock, StoreContext ctx, BlobFiles blobs, Path dir) {
    this.lock = lock;
    this.ctx = ctx;
    this.blobs = blobs;
    this.dir = dir;
  }

  List<Volume> volumes() {
    return List.of(new Volume(ID, "primary", "primary", dir.toString(), true));
  }

  List<MissingContent> missing(int volumeId) {
    require(volumeId);
    List<MissingContent> candidates = lock.call(() -> {
      List<MissingContent> all = new ArrayList<>();
      for (Account a : ctx.dir().accounts()) {
        for (Item i : ctx.state().mailbox(a.id()).orElseThrow().items()) {
          all.add(new MissingContent(a.id(), i.id(), i.digest(), i.size(), false));
        }
      }
      return all;
    });
    Map<String, State> states = new HashMap<>();
    List<MissingContent> out = new ArrayList<>();
    for (MissingContent c : candidates) {
      State st = states.computeIfAbsent(c.digest() + "/" + c.size(), k -> state(c.digest(), c.size()));
      if (st != State.INTACT) {
        out.add(new MissingContent(c.accountId(), c.itemId(), c.digest(), c.size(), st == State.DAMAGED));
      }
    }
    return out;
  }

  private enum State { INTACT, ABSENT, DAMAGED }

  private State state(String digest, long size) {
    if (!Files.exists(blobs.path(digest))) {
      return State.ABSENT;
    }
    return intact(digest, size) ? State.INTACT : State.DAMAGED;
  }

  Set<String> restore(int volumeId, Map<String, byte[]> contents) {
    require(volumeId);
    Volume.requireDigests(contents);
    Set<String> named = lock.call(() -> {
      Set<String> live = new HashSet<>();
      for (Account a : ctx.dir().accounts()) {
        for (Item i : ctx.state().mailbox(a.id()).orElseThrow().items()) {
          live.add(i.digest() + "/" + i.size());
        }
      }
      return live;
    });
    Map<String, byte[]> toWrite = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : contents.entrySet()) {
      if (!named.contains(e.getKey() + "/" + e.getValue().length)) {
        throw ErrorCode.NOT_FOUND.exception("no live item of volume " + volumeId + " has content " + e.getKey()
            + " (" + e.getValue().length + " bytes); nothing was written");
      }
      if (!intact(e.getKey(), e.getValue().length)) {
        toWrite.put(e.getKey(), e.getValue());
      }
    }
    if (toWrite.isEmpty()) {
      return Set.of();
    }
    try {
      blobs.restore(toWrite);
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("cannot write contents under " + dir + ": " + e.getMessage()
          + "; check the disk and run the blob restore again");
    }
    List<Change> changes = new ArrayList<>();
    toWrite.forEach((digest, content) -> changes.add(
        new Change(CONTENT_RESTORED, null, 0, new Details.ContentRestored(volumeId, digest, content.length))));
    lock.run(() -> ctx.commit(changes));
    return toWrite.keySet();
  }

  private boolean intact(String digest, long size) {
    try {
      return blobs.intact(digest, size);
    } catch (IOException e) {
      return false; // unreadable is as good as missing: the restore writes it again
    }
  }

  private void require(int volumeId) {
    if (volumeId != ID) {
      throw ErrorCode.NOT_FOUND.exception(
          "volume " + volumeId + " does not exist on this store; its only volume is " + ID + " (primary, " + dir + ")");
    }
  }
}
