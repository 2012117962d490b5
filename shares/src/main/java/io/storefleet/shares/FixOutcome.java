package io.storefleet.shares;

/**
 * What applying one {@link ShareFix} did.
 *
 * @param fix the fix
 * @param status the result
 * @param detail why, for anything but APPLIED
 */
public record FixOutcome(ShareFix fix, Status status, String detail) {

  /** The results of applying a fix. */
  public enum Status {
    /** The store was changed as planned. */
    APPLIED,
    /** The store already was as the fix wants it (a fix run twice, or interrupted after its first step). */
    ALREADY,
    /** The object changed since the check planned the fix, which was therefore not applied. */
    CHANGED,
    /** The store refused the change; {@code detail} says why. */
    FAILED
  }
}
