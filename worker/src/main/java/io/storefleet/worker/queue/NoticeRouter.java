package io.storefleet.worker.queue;

import io.storefleet.protocol.operation.Notification;
import io.storefleet.protocol.operation.Operation;
import java.time.Instant;

/**
 * Decides who a notice of an operation is for and how it will travel; the queue records what it
 * returns with the operation (and a delivery service, if any, takes it from there).
 */
public interface NoticeRouter {

  /**
   * A notice the task itself sends while running (e.g. PHASE1 Feedback), or null when nobody is to
   * get it.
   */
  Notification during(Operation op, String subject, String text, Instant at);

  /** The "Operation Ended" notice of an operation that reached a terminal state, or null. */
  Notification ended(Operation op, Instant at);

  /** Only the operation's own recipients, and nothing is sent: what a queue without delivery does. */
  NoticeRouter RECORD_ONLY = new NoticeRouter() {
    @Override
    public Notification during(Operation op, String subject, String text, Instant at) {
      return Notices.of(op, subject, text, at);
    }

    @Override
    public Notification ended(Operation op, Instant at) {
      return Notices.ended(op, at);
    }
  };
}
