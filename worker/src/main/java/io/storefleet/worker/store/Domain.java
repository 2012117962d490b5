package io.storefleet.worker.store;

import java.time.Instant;

/** A mail domain. */
public record Domain(String name, Instant createdAt) {}
