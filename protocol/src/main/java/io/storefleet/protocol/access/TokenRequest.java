package io.storefleet.protocol.access;

import java.util.List;

/**
 * The body of {@code POST /api/v1/tokens}.
 *
 * @param name the new token's name (letters, digits, {@code . _ -}, up to 64), unique among active tokens
 * @param role {@code admin}, {@code operator}, {@code helpdesk} or {@code viewer}
 * @param domains for a helpdesk token, the domains it is limited to; empty or null for none
 * @param requestId the client's id of this request ({@link io.storefleet.protocol.wire.RequestId}),
 *     the same on every retry, or null: a repeat creates nothing again and answers the first answer,
 *     the token included (since v9)
 */
public record TokenRequest(String name, String role, List<String> domains, String requestId) {
  /** A request without request id. */
  public TokenRequest(String name, String role, List<String> domains) {
    this(name, role, domains, null);
  }
}
