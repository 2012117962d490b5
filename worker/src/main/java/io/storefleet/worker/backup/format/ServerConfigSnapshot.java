package io.storefleet.worker.backup.format;

import java.time.Instant;
import java.util.Map;

/**
 * The server's configuration as {@code getServerConfig standard} shows it: sections of key/value
 * pairs ({@code serverConfig}, {@code backupProperties}, ...), a line of {@code config.log}.
 */
public record ServerConfigSnapshot(Map<String, Map<String, String>> sections, Instant at) {
  public boolean sameAs(ServerConfigSnapshot o) {
    return o != null && sections.equals(o.sections);
  }
}
