package io.storefleet.worker.notify;

import io.storefleet.protocol.operation.OperationState;
import java.time.Instant;
import java.util.List;

/**
 * One notice waiting for the daily digest, as its server hands it to the server that sends the
 * digest (JSON on the event bus).
 *
 * @param server the server whose operation it is
 * @param uuid the operation
 * @param index the notice's position among the operation's notices
 * @param subject the notice's subject
 * @param text the notice's body
 * @param at when it was made
 * @param state the operation's end
 * @param recipients the addresses still waiting for it in their digest
 * @param attempts digest attempts made so far
 */
public record DigestItem(String server, String uuid, int index, String subject, String text, Instant at,
    OperationState state, List<String> recipients, int attempts) {

  public DigestItem {
    recipients = recipients == null ? List.of() : List.copyOf(recipients);
  }
}
