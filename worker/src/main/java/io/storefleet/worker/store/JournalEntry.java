package io.storefleet.worker.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One mutation of the store, as recorded in its change journal (the store's "redo log").
 *
 * @param seq its sequence number; strictly increasing, without gaps except before a {@link
 *     Mutation#JOURNAL_ADVANCED} entry
 * @param time when it was committed
 * @param type what changed (see {@link Mutation})
 * @param accountId the account it concerns, or null for domain/COS/list changes
 * @param itemId the item or folder it concerns, or 0
 * @param detail everything needed to replay it
 */
public record JournalEntry(
    long seq, Instant time, Mutation type, String accountId, int itemId, JsonNode detail) {}
