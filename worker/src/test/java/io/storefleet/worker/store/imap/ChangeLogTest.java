package io.storefleet.worker.store.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading Dovecot's change log: which users changed, from where, across rotations and half-written lines. */
class ChangeLogTest {
  @TempDir Path dir;

  private static void write(Path file, String... lines) throws Exception {
    Files.writeString(file, String.join("", lines), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void onlyMailLogEventsWrittenAfterTheStartNameUsers() throws Exception {
    Path file = dir.resolve("info.log");
    write(file, "Dec 07 11:33:51 storefleet-change old@x: Info: save: box=INBOX\n");
    ChangeLog log = ChangeLog.follow(file);
    assertEquals(Set.of(), log.changedUsers(), "what was written before the start is the sweep's to find");
    write(file,
        "Dec 07 11:33:52 imap-login: Info: Login: user=<ann@x>, method=PLAIN\n",
        "Dec 07 11:33:52 storefleet-change ann@x: Info: flag_change: box=INBOX\n",
        "Dec 07 11:33:52 storefleet-change bob@x: Info: Disconnected: Logged out in=29 out=909\n",
        "Dec 07 11:33:52 storefleet-change cy@x: Info: Mailbox renamed: Pro jects -> Done\n",
        "Dec 07 11:33:52 storefleet-change dee@x: Info: copy from INBOX: box=Archive\n");
    assertEquals(List.of("ann@x", "cy@x", "dee@x"), List.copyOf(log.changedUsers()));
    assertEquals(Set.of(), log.changedUsers());
  }

  @Test
  void aHalfWrittenLineIsReadWholeOnceItEnds() throws Exception {
    Path file = dir.resolve("info.log");
    ChangeLog log = ChangeLog.follow(file);
    write(file, "Dec 07 11:33:52 storefleet-change ann@x: Info: expu");
    assertEquals(Set.of(), log.changedUsers());
    write(file, "nge: box=INBOX\n");
    assertEquals(Set.of("ann@x"), log.changedUsers());
  }

  @Test
  void aRotatedOrTruncatedLogIsReadFromItsStart() throws Exception {
    Path file = dir.resolve("info.log");
    write(file, "Dec 07 11:33:51 storefleet-change a@x: Info: save: box=INBOX\n".repeat(10));
    ChangeLog log = ChangeLog.follow(file);
    Files.move(file, dir.resolve("info.log.1"));
    assertEquals(Set.of(), log.changedUsers(), "rotated away, not written again yet");
    write(file, "Dec 07 11:33:53 storefleet-change b@x: Info: save: box=INBOX\n");
    assertEquals(Set.of("b@x"), log.changedUsers());
    // copytruncate: seen as long as the file is shorter than what was read when it is next read.
    Files.writeString(file, "storefleet-change c@x: Info: expunge: box=A\n", StandardOpenOption.TRUNCATE_EXISTING);
    assertEquals(Set.of("c@x"), log.changedUsers());
  }
}
