package io.storefleet.worker.notify;

import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.operation.Notification;
import io.storefleet.protocol.operation.Operation;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON body a webhook receives for one notice. */
final class NoticeJson {
  private NoticeJson() {}

  /**
   * {@code id} is the same on every retry of the notice (delivery is at least once: a receiver
   * that must not act twice keeps the ids it has seen).
   */
  static String of(Operation op, int index, Notification n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", reference(op, index));
    m.put("server", op.server());
    m.put("operation", op.uuid());
    m.put("command", op.command());
    m.put("state", op.state().name());
    m.put("requester", op.requester());
    m.put("subject", n.subject());
    m.put("to", n.to());
    m.put("at", n.at().toString());
    m.put("text", n.text());
    m.put("stats", op.stats());
    m.put("error", op.error());
    return Json.encode(m);
  }

  /** How a notice is named outside: {@code <operation uuid>#<index>}. */
  static String reference(Operation op, int index) {
    return op.uuid() + "#" + index;
  }
}
