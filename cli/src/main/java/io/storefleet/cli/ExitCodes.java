package io.storefleet.cli;

import io.storefleet.protocol.error.ErrorCode;

/**
 * Exit codes. With {@code --sync}, an operation's end decides (0 successful, 1 failed, 2 stopped,
 * 3 removed, 4 interrupted, as in the vendor CLI); a request the coordinator refused exits with a
 * sysexits code so scripts can tell bad input from an unavailable server.
 */
final class ExitCodes {
  static final int OK = 0;
  static final int USAGE = 64;
  static final int NO_USER = 67;
  static final int UNAVAILABLE = 69;
  static final int SOFTWARE = 70;
  static final int TEMPFAIL = 75;
  static final int NO_PERMISSION = 77;

  private ExitCodes() {}

  static int of(ErrorCode code) {
    return switch (code) {
      case UNKNOWN_ACCOUNT -> NO_USER;
      case SERVER_UNAVAILABLE, PROXY_LOOP, NOT_IMPLEMENTED, DIRECTORY_DAMAGED -> UNAVAILABLE;
      case SERVER_TIMEOUT -> TEMPFAIL;
      case UNAUTHORIZED, NOT_ALLOWED, PATH_NOT_ALLOWED -> NO_PERMISSION;
      case INTERNAL, IO_ERROR -> SOFTWARE;
      default -> USAGE;
    };
  }
}
