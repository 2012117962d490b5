package io.storefleet.worker.importmap;

/**
 * What an import did to one account: its old and new ids and, in its mailbox, old → new item
 * ids (folders included, since they share the id sequence).
 *
 * @param oldId the account's id on the source server
 * @param newId the id the import gave it
 * @param name its address
 * @param items its item and folder ids
 */
public record AccountMapping(String oldId, String newId, String name, ItemIds items) {}
