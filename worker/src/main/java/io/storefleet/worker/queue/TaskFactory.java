package io.storefleet.worker.queue;

import io.storefleet.protocol.operation.Operation;

/**
 * Builds the task of a logged operation when it reaches the head of the queue. The queue's own
 * factory builds it from the operation record, so that operations still queued when a worker
 * restarts run afterwards; an operation submitted in this run may carry a factory bound to the
 * command as it was checked.
 */
@FunctionalInterface
public interface TaskFactory {
  OperationTask create(Operation op);
}
