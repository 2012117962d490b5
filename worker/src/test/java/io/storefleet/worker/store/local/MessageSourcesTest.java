package io.storefleet.worker.store.local;

import static io.storefleet.worker.store.local.ProvisioningTest.fails;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.store.Account;
import io.storefleet.worker.store.Folder;
import io.storefleet.worker.store.Item;
import io.storefleet.worker.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageSourcesTest {
  static final String EML =
      "From ann@x.org  Wed May 16 00:40:34 2001\r\nSubject: caf\u00e9\r\n\r\n>From the start\r\nbody\r\n";

  @TempDir Path dir;

  @Test
  void anEmlFileIsOneMessageByteForByte() throws IOException {
    byte[] raw = (EML + "\u0000\u00ff").getBytes(UTF_8);
    Path f = Files.write(dir.resolve("one.eml"), raw);
    List<byte[]> read = MessageSources.read(f);
    assertEquals(1, read.size());
    assertArrayEquals(raw, read.get(0));
  }

  @Test
  void anMboxIsSplitAndUnquoted() throws IOException {
    String mbox = "From a@x Mon Jan  1 00:00:00 2001\nSubject: one\n\nfirst\n\n"
        + "From b@x Mon Jan  1 00:00:00 2001\nSubject: two\n\n>From here\n>>From there\n> From not\n\n"
        + "From c@x Mon Jan  1 00:00:00 2001\nSubject: three\n\nlast\n\n";
    List<byte[]> read = MessageSources.read(Files.writeString(dir.resolve("mail.mbox"), mbox));
    assertEquals(
        List.of("Subject: one\n\nfirst\n", "Subject: two\n\nFrom here\n>From there\n> From not\n",
            "Subject: three\n\nlast\n"),
        read.stream().map(b -> new String(b, UTF_8)).toList());
  }

  @Test
  void anMboxWithCrlfAndNoFinalBlankLine() throws IOException {
    String mbox = "\r\nFrom a@x\r\nSubject: one\r\n\r\nfirst\r\n\r\nFrom b@x\r\nSubject: two\r\n\r\nend\r\n";
    List<byte[]> read = MessageSources.read(Files.writeString(dir.resolve("crlf.mbox"), mbox));
    assertEquals(List.of("Subject: one\r\n\r\nfirst\r\n", "Subject: two\r\n\r\nend\r\n"),
        read.stream().map(b -> new String(b, UTF_8)).toList());
  }

  @Test
  void aDirectoryGivesItsFilesInNameOrder() throws IOException {
    Files.writeString(dir.resolve("b.eml"), "Subject: b\n\n");
    Files.writeString(dir.resolve("a.eml"), EML);
    Files.writeString(dir.resolve("c.mbox"), "From x\nSubject: c1\n\n\nFrom y\nSubject: c2\n\n");
    Files.createDirectory(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub").resolve("ignored.eml"), "Subject: no\n\n");
    List<String> read = MessageSources.read(dir).stream().map(b -> new String(b, UTF_8)).toList();
    assertEquals(List.of(EML, "Subject: b\n\n", "Subject: c1\n\n", "Subject: c2\n"), read);
  }

  @Test
  void namesThePathWhenItCannotRead() throws IOException {
    Path missing = dir.resolve("missing.eml");
    fails(ErrorCode.NOT_FOUND, "message source " + missing + " not found", () -> MessageSources.read(missing));
    Path empty = Files.createDirectory(dir.resolve("empty"));
    fails(ErrorCode.BAD_VALUE, "message source directory " + empty + " holds no files", () -> MessageSources.read(empty));
    Path notMbox = Files.writeString(dir.resolve("bad.mbox"), "Subject: x\n\n");
    fails(ErrorCode.BAD_VALUE, "mbox file " + notMbox + " does not start with a 'From ' line",
        () -> MessageSources.read(notMbox));
    Path zero = Files.write(dir.resolve("zero.eml"), new byte[0]);
    fails(ErrorCode.BAD_VALUE, "message file " + zero + " is empty", () -> MessageSources.read(zero));
  }

  @Test
  void anEmlReadsBackFromTheStoreExactly() throws Exception {
    byte[] eml = EML.getBytes(UTF_8);
    Path f = Files.write(dir.resolve("in.eml"), eml);
    try (LocalMailStore store = LocalMailStore.open(dir.resolve("store"), MutableClock.atEpoch2026())) {
      store.createDomain("x.org");
      Account a = store.createAccount("u@x.org", null, Map.of());
      List<Item> items = store.addMessages(a.id(), Folder.INBOX, MessageSources.read(f), Set.of(), Set.of());
      assertArrayEquals(eml, store.content(a.id(), items.get(0).id()));
      assertEquals("café", items.get(0).subject());
    }
  }
}
