package io.storefleet.coordinator.auth;

import io.storefleet.protocol.access.Role;
import io.storefleet.protocol.access.TokenRecord;
import java.util.List;

/**
 * Who makes a call, as its token says: the name is the requester of everything the call does.
 *
 * @param name the token's name
 * @param role the token's role
 * @param domains for a domain-limited helpdesk token, its domains; otherwise empty
 */
public record Caller(String name, Role role, List<String> domains) {
  public Caller {
    domains = List.copyOf(domains);
  }

  static Caller of(TokenRecord token) {
    return new Caller(token.name(), token.role(), token.domains());
  }

  /** Whether the accounts this caller names are limited to its domains. */
  public boolean domainLimited() {
    return !domains.isEmpty();
  }
}
