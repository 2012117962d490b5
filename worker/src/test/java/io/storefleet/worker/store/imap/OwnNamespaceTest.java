package io.storefleet.worker.store.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.Namespaces;
import org.junit.jupiter.api.Test;

/** Which mailboxes are the account's own mail, for the NAMESPACE answers sites give. */
class OwnNamespaceTest {
  private static OwnNamespace of(String namespaceResponse) throws Exception {
    return OwnNamespace.of(new Namespaces(new IMAPResponse("* NAMESPACE " + namespaceResponse)));
  }

  private static List<String> owned(OwnNamespace ns, String... names) {
    return List.of(names).stream().filter(n -> ns.owns(n, '/')).toList();
  }

  @Test
  void onlyThePersonalNamespaceHoldingInboxIsOwnNotAVirtualOneBesideIt() throws Exception {
    OwnNamespace ns = of("((\"\" \"/\")(\"Virtual/\" \"/\")) ((\"shared/\" \"/\")) ((\"Public/\" \"/\"))");
    assertEquals(List.of("INBOX", "Sent", "INBOX/Projects", "Virtually", "Publications"),
        owned(ns, "INBOX", "Sent", "INBOX/Projects", "Virtual", "Virtual/All", "Virtually", "shared",
            "shared/bob@example.test/Shared", "Public", "Public/News", "Publications"));
  }

  @Test
  void aSitePrefixingItsMailWithInboxOwnsOnlyThatNamespace() throws Exception {
    // Listed second, and beside a namespace without a prefix (e.g. a virtual one).
    OwnNamespace ns = of("((\"\" \"/\")(\"INBOX/\" \"/\")) NIL NIL");
    assertEquals(List.of("INBOX", "INBOX/Sent", "inbox"), owned(ns, "INBOX", "INBOX/Sent", "All", "Flagged", "inbox"));
  }

  @Test
  void withoutAnEmptyOrInboxPrefixTheFirstPersonalNamespaceIsOwn() throws Exception {
    OwnNamespace ns = of("((\"Mail/\" \"/\")(\"Views/\" \"/\")) NIL NIL");
    assertEquals(List.of("INBOX", "Mail/Sent"), owned(ns, "INBOX", "Mail/Sent", "Views/All"));
  }

  @Test
  void aServerWithoutNamespacesOwnsEverything() {
    assertEquals(List.of("INBOX", "Virtual/All"), owned(OwnNamespace.of(null), "INBOX", "Virtual/All"));
  }
}
