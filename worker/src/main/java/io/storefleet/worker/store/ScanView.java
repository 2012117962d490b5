package io.storefleet.worker.store;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a scan asks of a store. A store that must read new messages to list them (the imap store
 * digests them) answers so that a scan reads each message once: the content it reads while
 * bringing an account up to date goes to the scan's {@link ContentSink}, and accounts it knows
 * unchanged are answered without opening them. {@link #of} asks the plain {@link MailStore}
 * methods, for stores that read nothing to list.
 */
public interface ScanView {
  /**
   * Receives content a store read anyway while bringing an account up to date (new messages):
   * one call at a time and in the order read, though maybe not on the thread that asked (the
   * imap store works on one batch while it reads the next); every call has returned, and its
   * effects are visible, when the method that took the sink returns.
   */
  @FunctionalInterface
  interface ContentSink {
    /** @param digest the SHA-256 of {@code content}, as the item that holds it names it */
    void content(String digest, byte[] content);

    /**
     * Called before the store reads up to {@code messages} new messages in one request, on the
     * thread that asked (content of an earlier request may be handled meanwhile on another): it
     * may wait, so that a paced scan reads from the server no faster than its pacer allows, and
     * answers how many of them to read in this request (from 1 to {@code messages}).
     */
    default int beforeRead(int messages) {
      return messages;
    }
  }

  /**
   * A scan of every account begins: the store may look at the whole server once now and answer
   * for accounts it then saw unchanged without opening them, until the returned action is run
   * (when the scan ends, whatever its outcome).
   */
  Runnable begin();

  /** As {@link MailStore#itemCount}: what a scan's progress counts. */
  int itemCount(String accountId);

  /** As {@link MailStore#lastChange}, handing content read on the way to {@code sink}. */
  long lastChange(String accountId, ContentSink sink);

  /**
   * As {@link MailStore#snapshot}, handing content read on the way to {@code sink}; grants the
   * store has no reason to think changed may be answered without reading them again (the store
   * documents when, e.g. docs/mailstores.md for the imap store).
   */
  MailboxSnapshot snapshot(String accountId, ContentSink sink);

  /**
   * The first {@code headBytes} of about {@code count} messages spread over the account, what a
   * compression dictionary is trained on; empty when the store is sampled through
   * {@link MailStore#items} and {@link MailStore#content} instead. An account the store knows
   * unchanged since its last scan gives none (it has nothing to store).
   */
  Optional<List<byte[]>> contentHeads(String accountId, int count, int headBytes);

  /**
   * How many accounts a scan may work on at once, or empty to go by the machine's cores: a store
   * whose scan mostly waits for a server's answers says how many of them it can have served at
   * once (the imap store: about one per connection it may use).
   */
  default OptionalInt accountsAtOnce() {
    return OptionalInt.empty();
  }

  /** The plain view: the store's own methods, no content handed over. */
  static ScanView of(MailStore store) {
    return new ScanView() {
      @Override
      public Runnable begin() {
        return () -> { };
      }

      @Override
      public int itemCount(String accountId) {
        return store.itemCount(accountId);
      }

      @Override
      public long lastChange(String accountId, ContentSink sink) {
        return store.lastChange(accountId);
      }

      @Override
      public MailboxSnapshot snapshot(String accountId, ContentSink sink) {
        return store.snapshot(accountId);
      }

      @Override
      public Optional<List<byte[]>> contentHeads(String accountId, int count, int headBytes) {
        return Optional.empty();
      }
    };
  }
}
