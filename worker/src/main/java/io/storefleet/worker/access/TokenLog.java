package io.storefleet.worker.access;

import io.storefleet.protocol.access.TokenRecord;
import io.storefleet.protocol.codec.Json;
import io.storefleet.worker.log.AppendLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This worker's copy of the cluster's tokens ({@code <dataDir>/tokens.log}): one record per change,
 * the last one of a token id after merging wins ({@link TokenRecord#merge}). It is what brings the
 * tokens back after a full cluster restart. Only hashes are stored, never a token.
 */
public final class TokenLog implements Closeable {
  private final AppendLog log;
  private final Map<String, TokenRecord> byId = new LinkedHashMap<>();

  private TokenLog(AppendLog log) {
    this.log = log;
    for (String text : log.recovered()) {
      TokenRecord r = Json.decode(text, TokenRecord.class);
      byId.merge(r.id(), r, TokenRecord::merge);
    }
  }

  public static TokenLog open(Path file) throws IOException {
    return new TokenLog(AppendLog.open(file));
  }

  /**
   * Merges a record in; appends (fsync'd) only when it changes what this log holds. Returns the
   * merged record.
   */
  public synchronized TokenRecord merge(TokenRecord record) throws IOException {
    TokenRecord current = byId.get(record.id());
    TokenRecord merged = current == null ? record : current.merge(record);
    if (!merged.equals(current)) {
      log.append(Json.encode(merged));
      byId.put(merged.id(), merged);
    }
    return merged;
  }

  /** Every token this worker knows, revoked ones included. */
  public synchronized List<TokenRecord> all() {
    return new ArrayList<>(byId.values());
  }

  @Override
  public void close() throws IOException {
    log.close();
  }
}
