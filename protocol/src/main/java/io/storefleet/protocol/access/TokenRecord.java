package io.storefleet.protocol.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * One API token as the cluster stores it: never the token itself, only its SHA-256. Records are
 * kept in the cluster map {@code storefleet.tokens} and in every worker's {@code tokens.log};
 * a revoked record is kept (it is what makes the revocation survive a restart).
 *
 * @param id lower-case hex SHA-256 of the token text
 * @param name the operator's name for it, unique among active tokens; the requester of every call
 * @param role what it may do
 * @param domains for a {@link Role#HELPDESK} token, the domains whose accounts it may name; empty
 *     for no limit
 * @param createdAt when it was created
 * @param createdBy the name of the token that created it
 * @param revokedAt when it was revoked, or null while active
 * @param revokedBy the name of the token that revoked it, or null
 */
public record TokenRecord(
    String id,
    String name,
    Role role,
    List<String> domains,
    Instant createdAt,
    String createdBy,
    Instant revokedAt,
    String revokedBy) {

  public TokenRecord {
    domains = domains == null ? List.of() : List.copyOf(domains);
  }

  /** The id of a token text: hex SHA-256 of its UTF-8 bytes. */
  public static String idOf(String token) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  public boolean active() {
    return revokedAt == null;
  }

  /** This record under another name. */
  public TokenRecord named(String other) {
    return new TokenRecord(id, other, role, domains, createdAt, createdBy, revokedAt, revokedBy);
  }

  /** This record revoked at {@code at} by {@code by}; an already revoked one is kept as it is. */
  public TokenRecord revoked(Instant at, String by) {
    return active() ? new TokenRecord(id, name, role, domains, createdAt, createdBy, at, by) : this;
  }

  /**
   * The record two copies of one token agree on: a revocation wins over an active copy, of two
   * revocations the earlier one, of two active copies the earlier created (a tie goes to the
   * lesser name, then the lesser revoker or creator), so merging in any order gives the same result.
   */
  public TokenRecord merge(TokenRecord other) {
    if (other == null || !other.id.equals(id)) {
      return this;
    }
    if (active() != other.active()) {
      return active() ? other : this;
    }
    return ORDER.compare(other, this) < 0 ? other : this;
  }

  /** Which of two copies of one token, both active or both revoked, {@link #merge} keeps: the least. */
  private static final Comparator<TokenRecord> ORDER = Comparator
      .comparing(TokenRecord::revokedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
      .thenComparing(TokenRecord::createdAt)
      .thenComparing(TokenRecord::name)
      .thenComparing(TokenRecord::revokedBy, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
      .thenComparing(TokenRecord::createdBy, Comparator.nullsFirst(Comparator.<String>naturalOrder()));
}
