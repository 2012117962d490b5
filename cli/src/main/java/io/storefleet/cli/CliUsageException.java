package io.storefleet.cli;

/** A command line the CLI cannot read; exits 64 (EX_USAGE). */
final class CliUsageException extends RuntimeException {
  CliUsageException(String message) {
    super(message);
  }
}
