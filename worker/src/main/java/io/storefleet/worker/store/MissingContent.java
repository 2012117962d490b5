package io.storefleet.worker.store;

/**
 * A live item whose content its volume does not hold, or holds damaged: what {@code
 * doRestoreBlobs} brings back. Items created by a raw restore are in this state until then.
 *
 * @param accountId the item's account
 * @param itemId the item
 * @param digest the SHA-256 its content must have (several items may share one)
 * @param size the size its content must have
 * @param damaged false when the content is absent, true when it is there but is not the content
 *     its size and digest name
 */
public record MissingContent(String accountId, int itemId, String digest, long size, boolean damaged) {}
