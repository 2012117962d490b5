package io.storefleet.worker.backup.scan;

import io.storefleet.worker.store.Cos;
import io.storefleet.worker.store.MailStore;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The vendor's way of switching backup off for a class of service: the {@code ${ZxBackup_Disabled}}
 * marker in the COS notes. The notes stay free text; removing the marker by hand re-enables it.
 */
public final class CosBackupMarker {
  public static final String MARKER = "${ZxBackup_Disabled}";

  private CosBackupMarker() {}

  public static boolean disabled(Cos cos) {
    return cos != null && cos.notes() != null && cos.notes().contains(MARKER);
  }

  public static String withMarker(String notes) {
    String n = notes == null ? "" : notes;
    return n.contains(MARKER) ? n : (n.isEmpty() ? MARKER : n + " " + MARKER);
  }

  public static String withoutMarker(String notes) {
    return notes == null ? "" : notes.replace(" " + MARKER, "").replace(MARKER, "").strip();
  }

  /** Lower-case names of the COS whose backup is disabled, read once per pass. */
  public static Set<String> disabledNames(MailStore store) {
    Set<String> out = new HashSet<>();
    for (Cos c : store.coses()) {
      if (disabled(c)) {
        out.add(c.name().toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }

  static String reason(String cos) {
    return "backup disabled for COS " + cos;
  }
}
