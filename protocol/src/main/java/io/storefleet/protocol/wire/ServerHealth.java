package io.storefleet.protocol.wire;

import java.time.Instant;

/**
 * What a worker last reported of its backup's health, from the samples its metrics take (the
 * same readings as its {@code /metrics} gauges; docs/metrics.md): published to the cluster map
 * {@code storefleet.serverHealth} after every sample, so the coordinator's {@code GET
 * /api/v1/servers} shows it without asking the worker, and still shows it once the worker is gone.
 *
 * @param at when the worker took the report (every 15 s while it runs)
 * @param backupPathBytes bytes of all files under the backup path at the last survey (every 5
 *     minutes); null before the first survey has ended
 * @param backupPathSurveyedAt when that survey ran; null before the first
 * @param lastSmartScan the last SmartScan that ended on the server, in the operations its queue
 *     keeps; null when none has
 * @param scannerLagEntries journal entries of the mail store the real-time scanner has not
 *     recorded yet; null when the lag could not be read
 * @param scannerLagSeconds age of the oldest of them, 0 when caught up; null as above
 * @param scannerRunning whether the real-time scanner service runs; null as above
 */
public record ServerHealth(
    Instant at,
    Long backupPathBytes,
    Instant backupPathSurveyedAt,
    LastSmartScan lastSmartScan,
    Long scannerLagEntries,
    Double scannerLagSeconds,
    Boolean scannerRunning) {

  /**
   * The last SmartScan that ended on a server.
   *
   * @param uuid the operation
   * @param endedAt when it ended
   * @param state its end state ({@code SUCCEEDED}, {@code FAILED}, {@code STOPPED}, {@code
   *     REMOVED} or {@code INTERRUPTED})
   */
  public record LastSmartScan(String uuid, Instant endedAt, String state) {}
}
