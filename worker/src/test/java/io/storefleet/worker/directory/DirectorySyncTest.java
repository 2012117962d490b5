package io.storefleet.worker.directory;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storefleet.fabric.directory.ClusterDirectory;
import io.storefleet.protocol.wire.AccountLocation;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.local.LocalMailStore;
import io.storefleet.worker.testing.ForwardingMailStore;
import io.storefleet.worker.testing.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A periodic publication that read the store before provisioning changes must not land last:
 * the changes made while it was under way are published after it, from a fresh read.
 */
class DirectorySyncTest {
  @TempDir Path dir;
  Vertx vertx;
  ClusterDirectory directory;
  GatedStore store;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    directory = new ClusterDirectory(vertx);
    store = new GatedStore(LocalMailStore.open(dir.resolve("store"), MutableClock.atEpoch2026()));
    store.createDomain("a.example");
    store.createCos("staff", "");
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
    vertx.close().await();
  }

  @Test
  void changesDuringASlowPeriodicPublicationEndWithTheNewestCountAndEntries() throws Exception {
    Account gone = store.createAccount("gone@a.example", "staff", Map.of());
    store.createAccount("kept@a.example", "staff", Map.of());
    // A period that never fires by itself: the test plays the timer with publish().
    DirectorySync sync = new DirectorySync(
        vertx, directory, store, "mbox1", "node1", "/b", MutableClock.atEpoch2026(), List::of);
    sync.start(TimeUnit.DAYS.toMillis(1)).await();

    store.holdNextRead();
    Future<Void> periodic = sync.publish();
    assertEquals(true, store.read.await(30, TimeUnit.SECONDS));
    // What the provisioning handlers do meanwhile: change the store, then the entries.
    store.deleteAccount(gone.id());
    directory.removeAccount("mbox1", gone.id(), List.of(gone.name())).await();
    for (String n : List.of("new1@a.example", "new2@a.example")) {
      Account a = store.createAccount(n, "staff", Map.of());
      directory.putAccount(new AccountLocation(a.name(), a.id(), "mbox1"), a.aliases()).await();
    }
    store.release.countDown();
    periodic.await();

    Set<String> expected = new TreeSet<>(List.of("kept@a.example", "new1@a.example", "new2@a.example"));
    await().atMost(Duration.ofSeconds(30)).until(
        () -> directory.server("mbox1").await().orElseThrow().accounts() == 3 && expected.equals(names()));
    sync.stop();
  }

  private Set<String> names() {
    Set<String> out = new TreeSet<>();
    for (AccountLocation a : directory.accounts().await()) {
      out.add(a.name());
    }
    return out;
  }

  /** A store whose next account listing, once asked for, waits after reading until released. */
  static final class GatedStore extends ForwardingMailStore {
    final CountDownLatch read = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean hold = new AtomicBoolean();

    GatedStore(MailStore delegate) {
      super(delegate);
    }

    void holdNextRead() {
      hold.set(true);
    }

    @Override
    public List<Account> accounts() {
      List<Account> out = delegate.accounts();
      if (hold.compareAndSet(true, false)) {
        read.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return out;
    }
  }
}
