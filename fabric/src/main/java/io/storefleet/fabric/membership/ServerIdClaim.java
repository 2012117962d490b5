package io.storefleet.fabric.membership;

import java.time.Instant;

/**
 * Which cluster member serves a server id, as written to the claims map: enough for an operator
 * to find that process.
 *
 * @param serverId the claimed mailbox server id
 * @param memberId the Hazelcast member uuid (Vert.x node id) of the holder
 * @param address the holder's cluster address, host and port
 * @param pid the holder's process id on its host
 * @param dataDir the holder's data directory
 * @param since when the holder claimed the id
 */
public record ServerIdClaim(String serverId, String memberId, String address, long pid, String dataDir,
    Instant since) {

  /** The holder as one phrase for error messages. */
  public String describe() {
    return "member " + address + ", pid " + pid + ", data dir " + dataDir + ", since " + since;
  }
}
