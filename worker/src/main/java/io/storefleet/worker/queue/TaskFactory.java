package io.storefleet.worker.queue;

import io.storefleet.protocol.operation.Operation;

/**
 * Builds the task of a logged operation when it reaches the head of the queue. Tasks are built
 * from the operation record, not kept from submission, so that operations still queued when a
 * worker restarts run afterwards.
 */
@FunctionalInterface
public interface TaskFactory {
  OperationTask create(Operation op);
}
