package io.storefleet.protocol.operation;

/**
 * An item an operation could not process.
 *
 * @param account the account
 * @param itemId the item id
 * @param cause read error, broken item or invalid item, with detail
 */
public record Unrestored(String account, long itemId, String cause) {}
