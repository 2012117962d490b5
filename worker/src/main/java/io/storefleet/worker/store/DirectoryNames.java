package io.storefleet.worker.store;

import io.storefleet.protocol.error.ErrorCode;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules for domain names, addresses and COS names, the same for every store kind; every
 * failure is a BAD_VALUE naming the value.
 */
public final class DirectoryNames {
  private static final Pattern DOMAIN =
      Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
  private static final Pattern LOCAL_PART = Pattern.compile("[a-z0-9!#$%&'*+/=?^_`{|}~.-]+");
  private static final Pattern COS = Pattern.compile("[A-Za-z0-9._-]+");

  private DirectoryNames() {}

  /** A lower-case domain name. */
  public static String domain(String name) {
    String d = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    if (d.length() > 253 || !DOMAIN.matcher(d).matches()) {
      throw ErrorCode.BAD_VALUE.exception("'" + name + "' is not a domain name; use e.g. example.com");
    }
    return d;
  }

  /** A lower-case {@code local@domain} address. */
  public static String address(String name) {
    String a = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    int at = a.lastIndexOf('@');
    if (at <= 0 || !LOCAL_PART.matcher(a.substring(0, at)).matches()) {
      throw ErrorCode.BAD_VALUE.exception("'" + name + "' is not an address; use e.g. john@example.com");
    }
    domain(a.substring(at + 1));
    return a;
  }

  /** The domain of a checked address. */
  public static String domainOf(String address) {
    return address.substring(address.lastIndexOf('@') + 1);
  }

  /** A COS name, as given (COS names keep their case). */
  public static String cos(String name) {
    String c = name == null ? "" : name.trim();
    if (!COS.matcher(c).matches()) {
      throw ErrorCode.BAD_VALUE.exception(
          "'" + name + "' is not a COS name; use letters, digits, '.', '_' and '-'");
    }
    return c;
  }

  /**
   * An id a raw restore gives back (account, COS, list). Lookups by id are case-insensitive, so an
   * id must already be in the form they use.
   *
   * @param what the object, named in the error
   */
  public static String restoredId(String id, String what) {
    String trimmed = id == null ? "" : id.trim();
    if (trimmed.isEmpty() || !trimmed.equals(trimmed.toLowerCase(Locale.ROOT))) {
      throw ErrorCode.BAD_VALUE.exception(what + " needs a lower-case id to restore, got '" + id + "'");
    }
    return trimmed;
  }
}
