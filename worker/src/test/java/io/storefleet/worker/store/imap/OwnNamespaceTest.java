package io.storefleet.worker.store.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.Namespaces;
import org.junit.jupiter.api.Test;

/** Which mailboxes are the account's own mail, for the NAMESPACE answers sites give. */
class OwnNamespaceTest {
  private static Namespaces namespaces(String namespaceResponse) throws Exception {
    return new Namespaces(new IMAPResponse("* NAMESPACE " + namespaceResponse));
  }

  private static OwnNamespace of(String namespaceResponse, String... views) throws Exception {
    return OwnNamespace.of(namespaces(namespaceResponse), List.of(views));
  }

  private static List<String> owned(OwnNamespace ns, String... names) {
    return List.of(names).stream().filter(n -> ns.owns(n, '/')).toList();
  }

  @Test
  void aPersonalNamespaceNamedAsAViewIsNotOwnNorAreSharedAndPublicOnes() throws Exception {
    OwnNamespace ns = of("((\"\" \"/\")(\"Virtual/\" \"/\")) ((\"shared/\" \"/\")) ((\"Public/\" \"/\"))", "Virtual/");
    assertEquals(List.of("INBOX", "Sent", "INBOX/Projects", "Virtually", "Publications"),
        owned(ns, "INBOX", "Sent", "INBOX/Projects", "Virtual", "Virtual/All", "Virtually", "shared",
            "shared/bob@example.test/Shared", "Public", "Public/News", "Publications"));
  }

  @Test
  void everyPersonalNamespaceNotNamedAsAViewIsOwn() throws Exception {
    // A second private namespace holding real mail elsewhere (Dovecot's extra private namespaces).
    OwnNamespace ns = of("((\"\" \"/\")(\"Archive2/\" \"/\")(\"Virtual/\" \"/\")) NIL ((\"Public/\" \"/\"))");
    assertEquals(List.of("INBOX", "Sent", "Archive2", "Archive2/2019", "Virtual/All"),
        owned(ns, "INBOX", "Sent", "Archive2", "Archive2/2019", "Virtual/All", "Public/News"));
  }

  @Test
  void anInboxPrefixedNamespaceBesideTheEmptyOneDropsNeither() throws Exception {
    OwnNamespace ns = of("((\"\" \"/\")(\"INBOX/\" \"/\")) NIL NIL");
    assertEquals(List.of("INBOX", "INBOX/Sent", "All", "Flagged"), owned(ns, "INBOX", "INBOX/Sent", "All", "Flagged"));
  }

  @Test
  void withoutAPersonalNamespaceOtherUsersSharedAndViewsAreStillExcluded() throws Exception {
    OwnNamespace ns = of("NIL ((\"shared/\" \"/\")) ((\"Public/\" \"/\"))", "Virtual/");
    assertEquals(List.of("INBOX", "Sent"), owned(ns, "INBOX", "Sent", "shared/bob/x", "Public/News", "Virtual/All"));
  }

  @Test
  void aServerWithoutNamespacesOwnsEverythingButTheNamedViews() {
    assertEquals(List.of("INBOX", "Virtual/All"), owned(OwnNamespace.EVERYTHING, "INBOX", "Virtual/All"));
    assertEquals(List.of("INBOX"), owned(OwnNamespace.of(null, List.of("Virtual/")), "INBOX", "Virtual/All"));
  }

  @Test
  void theWarningNamesThePersonalNamespacesBackedUpBesideTheMainOneButNotNamedViews() throws Exception {
    Namespaces ns = namespaces("((\"INBOX/\" \"/\")(\"\" \"/\")(\"Archive2/\" \"/\")(\"Virtual/\" \"/\")) NIL NIL");
    assertEquals(List.of("Archive2/", "Virtual/"), OwnNamespace.otherOwnPersonal(ns, List.of()));
    assertEquals(List.of("Archive2/"), OwnNamespace.otherOwnPersonal(ns, List.of("Virtual/")));
  }
}
