package io.storefleet.coordinator.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The admin token that every API call except health must carry. It is generated at the first
 * start into a file only its owner can read; coordinators pointed at the same file share it.
 */
public final class AdminToken {
  private final byte[] token;

  private AdminToken(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** Reads the token file, creating it (mode 0600) with a new random token if it is missing. */
  public static AdminToken loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      Files.createDirectories(file.toAbsolutePath().getParent());
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String value = HexFormat.of().formatHex(random);
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".token-", "",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, value + "\n");
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

  /** Whether an {@code Authorization} header carries this token (constant-time compare). */
  public boolean accepts(String authorizationHeader) {
    if (authorizationHeader == null || !authorizationHeader.startsWith("Bearer ")) {
      return false;
    }
    byte[] given = authorizationHeader.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token);
  }
}
