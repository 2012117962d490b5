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
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

/**
 * The store's one content volume, id 1: its blob directory. Contents are checked and written
 * outside the store's lock (content files are named by their digest, so writers of different
 * digests never meet), and only the journal entry is committed under it; blob restores can thus
 * run on several threads.
 */
final class ContentVolume {
  static final int ID = 1;

  private final Lock lock;
  private final StoreContext ctx;
  private final BlobFiles blobs;
  private final Path dir;

  ContentVolume(Lock lock, StoreContext ctx, BlobFiles blobs, Path dir) {
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
    List<MissingContent> candidates = locked(() -> {
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

  boolean restore(int volumeId, String digest, byte[] content) {
    require(volumeId);
    if (digest == null || content == null) {
      throw ErrorCode.BAD_VALUE.exception("a content restore needs a digest and the content");
    }
    String actual = BlobFiles.digest(content);
    if (!actual.equals(digest)) {
      throw ErrorCode.BAD_VALUE.exception(
          "the content given for " + digest + " has digest " + actual + "; nothing was written");
    }
    boolean named = locked(() -> {
      for (Account a : ctx.dir().accounts()) {
        for (Item i : ctx.state().mailbox(a.id()).orElseThrow().items()) {
          if (i.digest().equals(digest) && i.size() == content.length) {
            return true;
          }
        }
      }
      return false;
    });
    if (!named) {
      throw ErrorCode.NOT_FOUND.exception(
          "no live item of volume " + volumeId + " has content " + digest + " (" + content.length + " bytes)");
    }
    if (intact(digest, content.length)) {
      return false;
    }
    try {
      blobs.restore(digest, content);
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("cannot write content " + digest + " under " + dir + ": " + e.getMessage()
          + "; check the disk and run the blob restore again");
    }
    locked(() -> {
      ctx.commit(new Change(CONTENT_RESTORED, null, 0, new Details.ContentRestored(volumeId, digest, content.length)));
      return null;
    });
    return true;
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

  private <T> T locked(Supplier<T> work) {
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }
}
