package io.storefleet.worker.store;

/**
 * A class of service.
 *
 * @param id its id
 * @param name its name
 * @param notes the free-text notes field (where {@code ${ZxBackup_Disabled}} is set)
 */
public record Cos(String id, String name, String notes) {}
