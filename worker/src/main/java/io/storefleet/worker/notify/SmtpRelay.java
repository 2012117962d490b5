package io.storefleet.worker.notify;

import java.nio.file.Path;

/**
 * The mail relay notices go through.
 *
 * @param host its host name or address
 * @param port its port
 * @param startTls whether STARTTLS with a verified certificate is required before anything is sent
 * @param user the login, or null for none
 * @param passwordFile the owner-only file of the login's password, or null
 * @param sender the From address
 */
public record SmtpRelay(String host, int port, boolean startTls, String user, Path passwordFile, String sender) {

  /** How a delivery names it: {@code host:port}. */
  public String address() {
    return host + ":" + port;
  }
}
