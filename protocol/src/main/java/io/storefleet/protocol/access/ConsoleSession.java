package io.storefleet.protocol.access;

import java.time.Instant;

/**
 * A web console session as the cluster keeps it, in {@code storefleet.consoleSessions} under the
 * SHA-256 of the session's secret: only hashes, so a copy of the map opens nothing.
 *
 * @param tokenId the id (SHA-256) of the token the operator signed in with; its record is read on
 *     every call, so revoking the token ends the session
 * @param csrfHash the SHA-256 of the session's CSRF token, which every call that changes something
 *     must carry in the {@code X-Storefleet-CSRF} header
 * @param createdAt when the operator signed in
 */
public record ConsoleSession(String tokenId, String csrfHash, Instant createdAt) {}
