package io.storefleet.worker.service;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * The calendar of scheduled scans: one SmartScan per night at a local time, and the weekly purge
 * with the SmartScan of one day. A "night" is named by the date its SmartScan time falls on.
 */
final class NightlySchedule {
  private NightlySchedule() {}

  /** The latest night whose SmartScan time is not after {@code now}. */
  static LocalDate latestNight(ZonedDateTime now, LocalTime at) {
    LocalDate today = now.toLocalDate();
    return now.toLocalTime().isBefore(at) ? today.minusDays(1) : today;
  }

  /** Whether a night after {@code after}, up to and including {@code upTo}, falls on the purge day. */
  static boolean purgeDue(LocalDate after, LocalDate upTo, Optional<DayOfWeek> purgeDay) {
    if (purgeDay.isEmpty()) {
      return false;
    }
    // Seven consecutive nights hold every weekday; looking further back changes nothing.
    LocalDate from = after.plusDays(1);
    if (from.isBefore(upTo.minusDays(6))) {
      from = upTo.minusDays(6);
    }
    for (LocalDate d = from; !d.isAfter(upTo); d = d.plusDays(1)) {
      if (d.getDayOfWeek() == purgeDay.get()) {
        return true;
      }
    }
    return false;
  }
}
