package io.storefleet.worker.store.imap;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a scan's pass of an account may take its folders from the last full read (LIST-STATUS,
 * the mountpoint METADATA) instead of reading them again: when the scan's sweep shows exactly
 * the mailboxes of that read, by GUID and name (so no mailbox was created, renamed or deleted
 * since), only their UIDVALIDITY and HIGHESTMODSEQ taken from the sweep. A read is kept only
 * while nothing else ran on the account through this store (any other call may create folders or
 * write the mountpoint records: it drops the read), and for {@link #MAX_AGE} at most, which bounds
 * how late a change the sweep cannot show is seen: a special-use attribute moved in Dovecot's
 * configuration, or the mountpoint records written by something other than this worker.
 */
final class ListedFolders {
  static final Duration MAX_AGE = Duration.ofMinutes(15);

  private record Read(List<MappedFolder> folders, Instant at) {}

  private final Clock clock;
  private final Map<String, Read> reads = new ConcurrentHashMap<>();

  ListedFolders(Clock clock) {
    this.clock = clock;
  }

  /** The account's folders as a full read found them now. */
  void read(String accountId, List<MappedFolder> folders) {
    reads.put(accountId, new Read(List.copyOf(folders), clock.instant()));
  }

  /** Something may have changed the account's folders or mountpoint records: the next pass reads them. */
  void drop(String accountId) {
    reads.remove(accountId);
  }

  /**
   * The account's folders from its last full read with the statuses {@code swept} shows, or empty
   * when there is no such read, it is too old, or {@code swept} differs from it in any mailbox's
   * GUID or name or in the set of mailboxes (a mailbox swept without a GUID is not trusted either).
   */
  Optional<List<MappedFolder>> reuse(String accountId, Collection<DoveadmClient.SweptMailbox> swept) {
    Read r = reads.get(accountId);
    if (r == null || !clock.instant().isBefore(r.at().plus(MAX_AGE))) {
      return Optional.empty();
    }
    Map<String, DoveadmClient.SweptMailbox> byGuid = new HashMap<>();
    for (DoveadmClient.SweptMailbox m : swept) {
      if (m.guid().isEmpty() || byGuid.put(m.guid(), m) != null) {
        return Optional.empty();
      }
    }
    List<MappedFolder> out = new ArrayList<>();
    int mailboxes = 0;
    for (MappedFolder f : r.folders()) {
      MailboxStatus st = f.mailbox();
      if (st == null || !st.selectable()) {
        out.add(f);
        continue;
      }
      DoveadmClient.SweptMailbox now = byGuid.get(st.guid());
      if (now == null || !now.mailbox().equals(st.name())) {
        return Optional.empty();
      }
      mailboxes++;
      out.add(new MappedFolder(f.folder(), new MailboxStatus(st.name(), st.separator(), st.attributes(), true,
          now.uidValidity(), now.highestModSeq(), st.guid())));
    }
    return mailboxes == byGuid.size() ? Optional.of(out) : Optional.empty();
  }
}
