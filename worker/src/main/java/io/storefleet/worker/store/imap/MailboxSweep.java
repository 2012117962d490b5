package io.storefleet.worker.store.imap;

import io.storefleet.worker.store.Account;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code doveadm mailbox status -A} request compared with the id maps: which accounts'
 * mailboxes differ from what their maps last saw (GUID, UIDVALIDITY, HIGHESTMODSEQ, name; a
 * mailbox new or gone) and which are exactly as seen. Accounts without an id map are neither:
 * they are the next scan's to read whole.
 *
 * @param dirtyUsers the user names whose mailboxes differ
 * @param unchanged the ids of accounts whose mailboxes are all as their maps last saw them
 * @param messages every user's message count, by lower-case user name
 * @param mailboxes the mailboxes the sweep listed of each user whose mailboxes differ, by lower-case
 *     user name (only theirs: a scan's pass may take their statuses, and every user's would be
 *     held for the whole scan)
 */
record MailboxSweep(Set<String> dirtyUsers, Set<String> unchanged, Map<String, Long> messages,
    Map<String, List<DoveadmClient.SweptMailbox>> mailboxes) {
  static MailboxSweep take(DoveadmClient doveadm, AccountDirectory directory, AccountSessions sessions) {
    Map<String, Map<String, DoveadmClient.SweptMailbox>> byUser = new HashMap<>();
    Map<String, Long> messages = new HashMap<>();
    Map<String, List<DoveadmClient.SweptMailbox>> mailboxes = new HashMap<>();
    for (DoveadmClient.SweptMailbox m : doveadm.mailboxStatusOfAll()) {
      mailboxes.computeIfAbsent(m.user().toLowerCase(Locale.ROOT), u -> new ArrayList<>()).add(m);
      if (!m.guid().isEmpty()) {
        byUser.computeIfAbsent(m.user(), u -> new HashMap<>()).put(m.guid(), m);
        messages.merge(m.user().toLowerCase(Locale.ROOT), m.messages(), Long::sum);
      }
    }
    Map<String, Account> byName = new HashMap<>();
    directory.accounts().forEach(a -> byName.put(a.name().toLowerCase(Locale.ROOT), a));
    Set<String> dirty = new LinkedHashSet<>();
    Set<String> unchanged = new LinkedHashSet<>();
    for (Map.Entry<String, Map<String, DoveadmClient.SweptMailbox>> e : byUser.entrySet()) {
      Optional<Account> account = Optional.ofNullable(byName.get(e.getKey().toLowerCase(Locale.ROOT)))
          .filter(sessions::known);
      if (account.isEmpty()) {
        continue;
      }
      // An account another thread holds (a paced scan's pass may, for long) is dirty rather than waited for.
      Map<String, AccountMap.MailboxMark> marks = sessions.marksIfFree(account.get().id()).orElse(null);
      if (marks == null) {
        dirty.add(e.getKey());
        continue;
      }
      if (marks.isEmpty()) {
        continue;
      }
      if (differ(marks, e.getValue())) {
        dirty.add(e.getKey());
      } else {
        unchanged.add(account.get().id());
      }
    }
    Set<String> dirtyKeys = new HashSet<>();
    dirty.forEach(u -> dirtyKeys.add(u.toLowerCase(Locale.ROOT)));
    mailboxes.keySet().retainAll(dirtyKeys);
    return new MailboxSweep(dirty, unchanged, messages, mailboxes);
  }

  private static boolean differ(Map<String, AccountMap.MailboxMark> marks,
      Map<String, DoveadmClient.SweptMailbox> server) {
    for (DoveadmClient.SweptMailbox m : server.values()) {
      AccountMap.MailboxMark mark = marks.get(m.guid());
      if (mark == null || mark.uidValidity() != m.uidValidity() || mark.highestModSeq() != m.highestModSeq()
          || !mark.name().equals(m.mailbox())) {
        return true; // new, changed or renamed
      }
    }
    for (Map.Entry<String, AccountMap.MailboxMark> mark : marks.entrySet()) {
      if (mark.getValue().uidValidity() != 0 && !server.containsKey(mark.getKey())) {
        return true; // deleted
      }
    }
    return false;
  }
}
