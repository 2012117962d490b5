package io.storefleet.protocol.access;

import java.util.List;

/**
 * The body of {@code POST /api/v1/tokens}.
 *
 * @param name the new token's name (letters, digits, {@code . _ -}, up to 64), unique among active tokens
 * @param role {@code admin}, {@code operator}, {@code helpdesk} or {@code viewer}
 * @param domains for a helpdesk token, the domains it is limited to; empty or null for none
 */
public record TokenRequest(String name, String role, List<String> domains) {}
