package io.storefleet.worker.store;

/**
 * A place where a store keeps item contents. In Zimbra these are the message volumes (a primary
 * volume new content goes to, secondary ones HSM moves content to); {@code doRestoreBlobs
 * {volume_id}} brings back the contents of one of them. The embedded store has exactly one, id 1,
 * its blob directory; an IMAP store has one, the IMAP server's message storage.
 *
 * @param id its id, as operators name it on the command line
 * @param name its name, e.g. {@code primary}
 * @param kind {@code primary} (new content goes there) or {@code secondary}
 * @param location where it is, for people: a directory, a server
 * @param current whether new content is written to it
 */
public record Volume(int id, String name, String kind, String location, boolean current) {}
