package io.storefleet.protocol.wire;

/**
 * Where an account lives.
 *
 * @param name its primary name
 * @param accountId its id
 * @param server the server that owns it
 */
public record AccountLocation(String name, String accountId, String server) {}
