package io.storefleet.worker.command;

/**
 * Who asked for a command and how it arrived.
 *
 * @param requester who asked
 * @param via the server that forwarded it here, or null
 */
public record RequestContext(String requester, String via) {}
