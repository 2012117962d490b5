package io.storefleet.worker.store;

/**
 * Where a mountpoint folder points: a folder of another account, possibly on another server.
 *
 * @param ownerId the owner's account id ({@code zid})
 * @param remoteFolderId the owner's folder id ({@code rid})
 * @param ownerName the owner's address ({@code owner})
 */
public record Mountpoint(String ownerId, int remoteFolderId, String ownerName) {}
