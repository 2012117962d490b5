package io.storefleet.worker.shares;

import io.storefleet.worker.store.Item;
import java.util.List;

/**
 * An owner's folder as a mountpoint shows it.
 *
 * @param ownerId the owner
 * @param ownerName its address
 * @param folderId the folder
 * @param path its path in the owner's mailbox
 * @param items its live items
 */
public record OpenedFolder(String ownerId, String ownerName, int folderId, String path, List<Item> items) {}
