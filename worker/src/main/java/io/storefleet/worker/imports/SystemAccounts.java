package io.storefleet.worker.imports;

import io.storefleet.worker.store.Account;
import java.util.List;
import java.util.Locale;

/**
 * Which accounts count as system accounts, which an import leaves out unless told otherwise
 * ({@code skip_system_accounts false}): accounts marked so by attribute, and the accounts a Zimbra
 * installation creates for itself (GAL sync, spam and ham training, virus quarantine), which a
 * fresh destination already has its own of.
 */
final class SystemAccounts {
  private static final List<String> ATTRIBUTES = List.of("zimbraIsSystemAccount", "zimbraIsSystemResource");
  private static final List<String> PREFIXES = List.of("galsync", "spam.", "ham.", "virus-quarantine.");

  private SystemAccounts() {}

  static boolean isSystem(Account a) {
    for (String attr : ATTRIBUTES) {
      if ("true".equalsIgnoreCase(a.attributes().get(attr))) {
        return true;
      }
    }
    String local = a.name().substring(0, Math.max(0, a.name().indexOf('@'))).toLowerCase(Locale.ROOT);
    return PREFIXES.stream().anyMatch(local::startsWith);
  }
}
