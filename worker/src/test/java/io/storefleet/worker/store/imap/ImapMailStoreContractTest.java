package io.storefleet.worker.store.imap;

import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.MailStore;
import io.storefleet.worker.store.MailStoreContract;
import io.storefleet.worker.testing.MutableClock;
import io.storefleet.worker.testing.dovecot.DovecotExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The MailStore contract on a private Dovecot, accounts provisioned in its passwd-file. */
class ImapMailStoreContractTest extends MailStoreContract {
  @RegisterExtension static final DovecotExtension DOVECOT = new DovecotExtension();

  /** Every contract test the imap store skips, and why: the one list of them. */
  static final Map<String, String> SKIPPED = Map.of(
      "nonMessageItemsAreStored",
      "IMAP holds messages only; contacts, appointments, tasks and documents are refused (ImapMailStoreTest)");

  @Override
  protected MailStore open(Path dir) throws Exception {
    return ImapMailStore.open(ImapSessionTest.config(DOVECOT.server(), 2), dir, MutableClock.atEpoch2026());
  }

  @Override
  protected Account newAccount(MailStore store, String local, String domain) {
    return store.createAccount(local + "@" + domain, null, Map.of());
  }

  @Override
  protected Map<String, String> skipped() {
    return SKIPPED;
  }
}
