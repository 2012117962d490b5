package io.storefleet.protocol.catalogue;

/**
 * The value types a command parameter can take, with the label the vendor's help table prints
 * in its TYPE column.
 */
public enum ParamType {
  /** Free text. */
  STRING("String"),
  /** An account name (user@domain). */
  ACCOUNT("Account Name"),
  /** An account name or an account id (UUID). */
  ACCOUNT_OR_ID("Account Name/ID"),
  /** Comma-separated account names. */
  ACCOUNT_LIST("Account Name[,..]"),
  /** Comma-separated account names or ids. */
  ACCOUNT_OR_ID_LIST("Account Name/ID[,..]"),
  /** Comma-separated domain names. */
  DOMAIN_LIST("Domain Name[,..]"),
  /** A domain name. */
  DOMAIN("Domain Name"),
  /** A class-of-service name. */
  COS("COS Name"),
  /** Comma-separated class-of-service names. */
  COS_LIST("COS Name[,..]"),
  /** Comma-separated e-mail addresses. */
  EMAIL_LIST("Email Address[,..]"),
  /** A file-system path on the target server. */
  PATH("Path"),
  /** {@code true} or {@code false}, case-insensitive. */
  BOOLEAN("Boolean"),
  /** A whole number. */
  INTEGER("Integer"),
  /** {@code dd/MM/yyyy HH:mm:ss} or one of the keywords the parameter allows. */
  DATE("Date"),
  /** An operation UUID. */
  UUID("Uiid"),
  /** One value out of a fixed set. */
  CHOICE("Multiple choice"),
  /** Comma-separated free-text values. */
  STRING_LIST("String[,..]");

  private final String label;

  ParamType(String label) {
    this.label = label;
  }

  /** The label printed in the TYPE column of the help table. */
  public String label() {
    return label;
  }

  /** Whether values of this type are comma-separated lists. */
  public boolean isList() {
    return this == ACCOUNT_LIST
        || this == ACCOUNT_OR_ID_LIST
        || this == DOMAIN_LIST
        || this == COS_LIST
        || this == EMAIL_LIST
        || this == STRING_LIST;
  }
}
