package io.storefleet.worker.store;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.storefleet.worker.backup.format.BlobCodec;
import org.junit.jupiter.api.Test;

class CanonicalContentTest {
  private static String canonical(String raw) {
    return new String(CanonicalContent.of(raw.getBytes(ISO_8859_1)), ISO_8859_1);
  }

  @Test
  void bareLineFeedsBecomeCrLfAndNulBecomes0x80AndNothingElseChanges() {
    assertEquals("a\r\nb\r\n", canonical("a\nb\n"));
    assertEquals("a\r\nb\r\n", canonical("a\r\nb\r\n"));
    assertEquals("\r\na\rb\r\nc", canonical("\na\rb\r\nc"), "a lone CR stays, and no line break is added");
    assertEquals("x\u0080y\r\n", canonical("x\0y\n"));
    assertEquals("\u0080\r\n", canonical("\0\n"));
  }

  @Test
  void wireBytesAreTheirOwnCanonicalFormSoTheirDigestIsUnchanged() {
    byte[] wire = "Subject: s\r\n\r\nbody\r\n".getBytes(ISO_8859_1);
    assertSame(wire, CanonicalContent.of(wire));
    assertEquals(BlobCodec.sha256(wire), CanonicalContent.digest(wire));
    byte[] lf = "Subject: s\n\nbody\n".getBytes(ISO_8859_1);
    assertNotEquals(BlobCodec.sha256(lf), CanonicalContent.digest(lf));
    assertEquals(BlobCodec.sha256(wire), CanonicalContent.digest(lf));
  }
}
