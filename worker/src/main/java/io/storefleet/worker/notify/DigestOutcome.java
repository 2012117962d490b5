package io.storefleet.worker.notify;

/**
 * What the digest to one recipient came to for one notice, as the sending server reports it back
 * to the notice's server (JSON on the event bus).
 *
 * @param uuid the operation
 * @param index the notice's position among the operation's notices
 * @param recipient the address the digest was for
 * @param sent whether the relay took it
 * @param temporary for a failure, whether trying again may help
 * @param reason for a failure, why
 */
public record DigestOutcome(String uuid, int index, String recipient, boolean sent, boolean temporary,
    String reason) {}
