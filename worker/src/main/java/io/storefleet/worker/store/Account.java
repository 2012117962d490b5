package io.storefleet.worker.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A mailbox account.
 *
 * @param id its UUID
 * @param name its primary address, lower case
 * @param domain its domain
 * @param cos its class of service name
 * @param status {@code active}, {@code locked}, ...
 * @param attributes other attributes (displayName, preferences)
 * @param aliases alias addresses
 * @param createdAt when it was created
 */
public record Account(
    String id,
    String name,
    String domain,
    String cos,
    String status,
    Map<String, String> attributes,
    List<String> aliases,
    Instant createdAt) {

  public Account {
    attributes = Map.copyOf(attributes);
    aliases = List.copyOf(aliases);
  }
}
