package io.storefleet.coordinator.auth;

import io.storefleet.protocol.access.Role;
import io.storefleet.protocol.access.TokenRecord;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The token file of a deployment ({@code http.tokenFile}): generated at the first start into a
 * file only its owner can read; coordinators pointed at the same file share it. Its token is the
 * first {@code admin} token, named {@code admin}, which every coordinator adds to the cluster's
 * tokens at start unless it is there already (revoked or not: a revoked one stays revoked).
 */
public final class AdminToken {
  /** The name of the token from the token file. */
  public static final String NAME = "admin";

  private final String token;

  private AdminToken(String token) {
    this.token = token;
  }

  /** Reads the token file, creating it (mode 0600) with a new random token if it is missing. */
  public static AdminToken loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".token-", "",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, newToken() + "\n");
      try {
        // A link is atomic and fails if another coordinator created the file first.
        Files.createLink(file, tmp);
      } catch (FileAlreadyExistsException e) {
        // The other coordinator won; use its token.
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    String value = Files.readString(file).trim();
    if (value.length() < 32) {
      throw new IOException("admin token in " + file + " is too short; delete the file to generate a new one");
    }
    return new AdminToken(value);
  }

  /** A new random token: 32 bytes from {@link SecureRandom}, in hex. */
  public static String newToken() {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  /** The record of this token as the first admin token, created {@code now}. */
  public TokenRecord record(Instant now) {
    return new TokenRecord(TokenRecord.idOf(token), NAME, Role.ADMIN, List.of(), now, "token file", null, null);
  }
}
