package io.storefleet.worker.store;

/** What a mailbox item is. */
public enum ItemType {
  MESSAGE,
  CONTACT,
  APPOINTMENT,
  TASK,
  DOCUMENT
}
