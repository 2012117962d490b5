package io.storefleet.worker.store.local;

import io.storefleet.worker.store.Mutation;

/** A mutation about to be committed: a journal entry without its sequence number and time. */
record Change(Mutation type, String accountId, int itemId, Object detail) {}
