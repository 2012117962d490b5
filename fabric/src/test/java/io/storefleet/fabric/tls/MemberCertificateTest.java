package io.storefleet.fabric.tls;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemberCertificateTest {
  private final CertificateMaker maker = new CertificateMaker(Clock.systemUTC());
  private final IssuedCertificate ca = maker.authority("cluster CA", Duration.ofDays(30));
  private final IssuedCertificate node = maker.issue(ca, "mbox1", List.of("127.0.0.1"), Duration.ofDays(10));
  private final Instant now = Instant.now();

  private String refusal(MemberCertificate m, String memberId, IssuedCertificate authority, Instant at) {
    return m.refusal("sf", memberId, List.of(authority.leaf()), at);
  }

  @Test
  void aStatementProvesOnlyItsOwnMemberInItsOwnCluster() {
    MemberCertificate m = MemberCertificate.sign("sf", "member-a", node.key(), node.chain());
    assertNull(refusal(m, "member-a", ca, now));
    // Another member's statement, replayed under a stranger's id or in another cluster, is refused.
    String replayed = refusal(m, "member-b", ca, now);
    assertTrue(replayed != null && replayed.contains("signature does not match"), replayed);
    String otherCluster = m.refusal("other", "member-a", List.of(ca.leaf()), now);
    assertTrue(otherCluster != null && otherCluster.contains("signature does not match"), otherCluster);
  }

  @Test
  void aCertificateFromAnotherCaOrOutOfItsTimeIsRefused() {
    IssuedCertificate otherCa = maker.authority("other CA", Duration.ofDays(30));
    IssuedCertificate stranger = maker.issue(otherCa, "r", List.of("127.0.0.1"), Duration.ofDays(10));
    String fromOther = refusal(MemberCertificate.sign("sf", "r", stranger.key(), stranger.chain()), "r", ca, now);
    assertTrue(fromOther != null && fromOther.contains("is not from the cluster CA"), fromOther);
    // A chain that names the cluster CA but whose leaf that CA did not sign is refused the same way.
    String borrowed = refusal(MemberCertificate.sign("sf", "r", stranger.key(), List.of(stranger.leaf(), ca.leaf())),
        "r", ca, now);
    assertTrue(borrowed != null && borrowed.contains("is not from the cluster CA"), borrowed);

    MemberCertificate m = MemberCertificate.sign("sf", "member-a", node.key(), node.chain());
    String expired = refusal(m, "member-a", ca, now.plus(Duration.ofDays(11)));
    assertTrue(expired != null && expired.contains("is not valid now"), expired);
  }
}
