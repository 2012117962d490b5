package io.storefleet.worker.store.local;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HeaderSummaryTest {

  private static HeaderSummary of(String raw) {
    return HeaderSummary.of(raw.getBytes(UTF_8));
  }

  @Test
  void readsSubjectFromAndToWithCc() {
    HeaderSummary s = of("From: Ann <ann@x.org>\nTo: a@x.org,\n b@x.org\nCc: c@x.org\nSubject: Hi\n\nTo: body@x.org\n");
    assertEquals(new HeaderSummary("Hi", "Ann <ann@x.org>", "a@x.org, b@x.org, c@x.org"), s);
  }

  @Test
  void unfoldsAndToleratesCrlfAndTheMboxEnvelope() {
    HeaderSummary s = of("From ann@x.org Mon Jan  1 00:00:00 2001\r\nSubject: a long\r\n\tsubject line\r\n"
        + "from: ann@x.org\r\n\r\nSubject: not this\r\n");
    assertEquals("a long\tsubject line", s.subject());
    assertEquals("ann@x.org", s.from());
    assertEquals("", s.to());
  }

  @Test
  void decodesEncodedWords() {
    assertEquals("café au lait", of("Subject: =?UTF-8?Q?caf=C3=A9_au?= lait\n\n").subject());
    assertEquals("Grüße", of("Subject: =?iso-8859-1?B?R3L8?=\n =?utf-8?b?w59l?=\n\n").subject());
    assertEquals("Grüße", of("Subject: =?iso-8859-1*de?q?Gr=FC=DFe?=\n\n").subject());
    assertEquals("=?x-unknown?q?abc?= stays", of("Subject: =?x-unknown?q?abc?= stays\n\n").subject());
    assertEquals("broken =?utf-8?b?!!!?=", of("Subject: broken =?utf-8?b?!!!?=\n\n").subject(), "kept raw");
    assertEquals("Ann Ö <ann@x.org>", of("From: =?utf-8?q?Ann_=C3=96?= <ann@x.org>\n\n").from());
  }

  @Test
  void readsRawEightBitHeaders() {
    assertEquals("Grüße", of("Subject: Grüße\n\n").subject());
    assertEquals("Grüße", HeaderSummary.of("Subject: Grüße\n\n".getBytes(ISO_8859_1)).subject());
  }

  @Test
  void aHeaderlessMessageHasEmptyFields() {
    assertEquals(HeaderSummary.EMPTY, of("Mail content:\nSubject: not a header\n"));
    assertEquals(HeaderSummary.EMPTY, of("just text, no headers at all"));
    assertEquals(HeaderSummary.EMPTY, HeaderSummary.of(new byte[0]));
    assertEquals(HeaderSummary.EMPTY, of("\nSubject: after the blank line\n"));
  }

  @Test
  void neverThrowsOnGarbage() {
    Random random = new Random(42);
    String alphabet = "=?:\r\n \tFromSubjectTo qbQB_utf-8iso-8859-1\u00e9\u0000";
    for (int n = 0; n < 20_000; n++) {
      byte[] raw;
      if (n % 2 == 0) {
        raw = new byte[random.nextInt(200)];
        random.nextBytes(raw);
      } else {
        StringBuilder sb = new StringBuilder("Subject: ");
        for (int i = random.nextInt(120); i > 0; i--) {
          sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        raw = sb.toString().getBytes(UTF_8);
      }
      assertNotNull(HeaderSummary.of(raw));
    }
  }
}
