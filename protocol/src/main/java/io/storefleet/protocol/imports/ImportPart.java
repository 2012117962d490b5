package io.storefleet.protocol.imports;

import java.util.List;

/**
 * One part of a planned import: one doExternalRestore on one server.
 *
 * @param server the server that imports
 * @param sourcePath the export or backup path it reads (a path that server can reach)
 * @param accounts the accounts it takes from the source; empty or null for all (a composite part)
 * @param domains the domains it takes from the source; empty or null for all (a composite part)
 */
public record ImportPart(String server, String sourcePath, List<String> accounts, List<String> domains) {
  public ImportPart {
    accounts = accounts == null ? List.of() : List.copyOf(accounts);
    domains = domains == null ? List.of() : List.copyOf(domains);
  }

  /** Whether the part takes the whole source. */
  public boolean whole() {
    return accounts.isEmpty() && domains.isEmpty();
  }
}
