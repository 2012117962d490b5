package io.storefleet.shares;

/**
 * An item id of an account as an import map names it, and its translation.
 *
 * @param file the map file on the server asked
 * @param oldAccountId the account's old id
 * @param oldId the old item or folder id
 * @param newId the new id, or -1 when the map has none (in answers only)
 */
public record IdRef(String file, String oldAccountId, int oldId, int newId) {}
