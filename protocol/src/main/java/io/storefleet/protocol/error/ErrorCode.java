package io.storefleet.protocol.error;

/**
 * Every error storefleet reports. <b>Definite</b> means the request certainly had no effect (or
 * the stated one) and repeating it unchanged fails the same way; <b>indefinite</b> means the
 * outcome is unknown (a server did not answer) and the operator should check before retrying.
 */
public enum ErrorCode {
  /** The command name is not in the catalogue. */
  UNKNOWN_COMMAND(1001, true, 400),
  /** A mandatory positional parameter is missing. */
  MISSING_PARAMETER(1002, true, 400),
  /** A {@code name value} parameter the command does not have. */
  UNKNOWN_PARAMETER(1003, true, 400),
  /** A value that does not fit the parameter's type or expected values. */
  BAD_VALUE(1004, true, 400),
  /** The same parameter given twice. */
  DUPLICATE_PARAMETER(1005, true, 400),
  /** More positional values than the command takes. */
  TOO_MANY_ARGUMENTS(1006, true, 400),
  /** {@code all_servers} given to a command that cannot be broadcast. */
  BROADCAST_NOT_ALLOWED(1007, true, 400),
  /** A server-routed command without a target where one is needed. */
  TARGET_REQUIRED(1008, true, 400),
  /** A request body the API cannot read. */
  MALFORMED_REQUEST(1009, true, 400),
  /** A path outside the roots the server is configured to use. */
  PATH_NOT_ALLOWED(1010, true, 403),
  /** No or a wrong admin token. */
  UNAUTHORIZED(1011, true, 401),
  /** The catalogued command is not built yet. */
  NOT_IMPLEMENTED(1012, true, 501),
  /** A valid token whose role (or helpdesk domains) does not cover the request; the message names the role needed. */
  NOT_ALLOWED(1013, true, 403),

  /** No server in the cluster owns this account. */
  UNKNOWN_ACCOUNT(2001, true, 404),
  /** No such server in the cluster directory. */
  UNKNOWN_SERVER(2002, true, 404),
  /** No such operation on any reachable server. */
  UNKNOWN_OPERATION(2003, true, 404),
  /** A store object (domain, COS, folder, item, list) that does not exist. */
  NOT_FOUND(2004, true, 404),
  /** The object already exists. */
  ALREADY_EXISTS(2005, true, 409),
  /** The object is in a state that forbids the request (e.g. a domain that still has accounts). */
  CONFLICT(2006, true, 409),
  /** The operation has already finished. */
  OPERATION_FINISHED(2007, true, 409),
  /** A coherency check found damage in a backup path that it did not (or could not) fix. */
  BACKUP_DAMAGED(2008, true, 409),

  /** The target server is registered but not reachable. */
  SERVER_UNAVAILABLE(3001, false, 503),
  /** The target server did not answer in time; the request may still take effect. */
  SERVER_TIMEOUT(3002, false, 504),
  /** A request already forwarded once met a second wrong target (directory changing). */
  PROXY_LOOP(3003, false, 502),
  /** An unexpected failure; the effect of the request is unknown. */
  INTERNAL(3999, false, 500),
  /** Disk or store I/O failed. */
  IO_ERROR(3004, false, 500),
  /**
   * An entry of the cluster directory (the Hazelcast maps) cannot be read. Workers rewrite their
   * own entries every 30 s; one that stays damaged suggests a process outside the cluster writing
   * to Hazelcast (docs/security.md).
   */
  DIRECTORY_DAMAGED(3005, false, 503);

  private final int code;
  private final boolean definite;
  private final int httpStatus;

  ErrorCode(int code, boolean definite, int httpStatus) {
    this.code = code;
    this.definite = definite;
    this.httpStatus = httpStatus;
  }

  /** The numeric code, also used as the event-bus failure code. */
  public int code() {
    return code;
  }

  /** Whether the request certainly did not take effect (see the class comment). */
  public boolean definite() {
    return definite;
  }

  /** The HTTP status the coordinator answers with. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The code for a numeric value, or {@link #INTERNAL} for one this version does not know. */
  public static ErrorCode fromCode(int code) {
    for (ErrorCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return INTERNAL;
  }

  /** A new exception of this code. */
  public StorefleetException exception(String message) {
    return new StorefleetException(this, message, null);
  }

  /** A new exception of this code about one server. */
  public StorefleetException exception(String message, String server) {
    return new StorefleetException(this, message, server);
  }
}
