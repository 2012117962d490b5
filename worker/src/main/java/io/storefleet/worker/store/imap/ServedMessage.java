package io.storefleet.worker.store.imap;

/**
 * A message as the server serves it: what a UID FETCH tells about it and its wire bytes.
 *
 * @param meta UID, X-GUID, size, INTERNALDATE and flags
 * @param wire its bytes ({@code BODY.PEEK[]})
 */
record ServedMessage(MessageMeta meta, byte[] wire) {}
