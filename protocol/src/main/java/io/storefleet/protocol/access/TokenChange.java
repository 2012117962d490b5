package io.storefleet.protocol.access;

import java.util.List;

/**
 * The answer to a token creation or revocation.
 *
 * @param token at creation, the bearer token to hand to the operator: shown this once and stored
 *     nowhere; null for a revocation
 * @param record what the cluster now keeps
 * @param keptOn the workers that wrote the change to disk (the others copy it from the cluster map
 *     when they next sync, at the latest 30 s later or when they start)
 */
public record TokenChange(String token, TokenRecord record, List<String> keptOn) {
  public TokenChange {
    keptOn = keptOn == null ? List.of() : List.copyOf(keptOn);
  }
}
