package io.storefleet.worker.store.local;

import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.MailStoreContract;
import io.storefleet.worker.testing.MutableClock;
import java.nio.file.Path;
import java.util.Map;

/** The MailStore contract on the embedded store. */
class LocalMailStoreContractTest extends MailStoreContract {
  @Override
  protected MailStore open(Path dir) throws Exception {
    return LocalMailStore.open(dir, MutableClock.atEpoch2026());
  }

  @Override
  protected Account newAccount(MailStore store, String local, String domain) {
    if (store.domains().stream().noneMatch(d -> d.name().equals(domain))) {
      store.createDomain(domain);
    }
    return store.createAccount(local + "@" + domain, null, Map.of());
  }
}
