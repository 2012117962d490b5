package io.storefleet.worker.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** A password kept in a file only its owner may read. */
public final class SecretFile {
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private SecretFile() {}

  /**
   * The file's first line, refusing a file that group or others may access.
   *
   * @param setting the setting that names the file, for the error
   * @throws IllegalArgumentException naming the setting, the file and the fix
   */
  public static String read(String setting, Path file) {
    String text = readAll(setting, file);
    int nl = text.indexOf('\n');
    String secret = (nl < 0 ? text : text.substring(0, nl)).strip();
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("setting " + setting + ": " + file + " is empty; put the password on its first line");
    }
    return secret;
  }

  /**
   * The whole file, refusing a file that group or others may access.
   *
   * @throws IllegalArgumentException naming the setting, the file and the fix
   */
  public static String readAll(String setting, Path file) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.stream().anyMatch(OTHERS::contains)) {
        throw new IllegalArgumentException("setting " + setting + ": " + file + " is accessible by group or others ("
            + PosixFilePermissions.toString(perms) + "); make it owner-only: chmod 600 " + file);
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("setting " + setting + ": cannot read " + file + " (" + e + ")");
    } catch (UnsupportedOperationException e) {
      throw new IllegalArgumentException("setting " + setting + ": " + file
          + " is on a file system without POSIX permissions; keep it on one where chmod 600 works");
    }
  }
}
