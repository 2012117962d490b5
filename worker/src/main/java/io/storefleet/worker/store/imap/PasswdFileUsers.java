package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The provisioning adapter for a Dovecot whose userdb and passdb are a passwd-file the worker
 * owns (Dovecot re-reads it when it changes). New users get an empty password field: nobody can
 * log in as them until the site sets a password, while the worker reaches them as master user.
 * The file is rewritten whole and renamed into place, so Dovecot never reads half of it.
 */
final class PasswdFileUsers {
  private final Path file;

  PasswdFileUsers(Path file) {
    this.file = file;
  }

  synchronized boolean contains(String user) {
    return lines().stream().anyMatch(l -> userOf(l).equalsIgnoreCase(user));
  }

  synchronized void add(String user) {
    if (user.contains(":") || user.contains("\n")) {
      throw ErrorCode.BAD_VALUE.exception("account name '" + user + "' cannot be a passwd-file user (':' or newline)");
    }
    List<String> lines = lines();
    if (lines.stream().anyMatch(l -> userOf(l).equalsIgnoreCase(user))) {
      throw ErrorCode.ALREADY_EXISTS.exception("user " + user + " is already in " + file);
    }
    lines.add(user + ":::::::");
    write(lines);
  }

  synchronized void remove(String user) {
    List<String> lines = lines();
    if (!lines.removeIf(l -> userOf(l).equalsIgnoreCase(user))) {
      throw ErrorCode.NOT_FOUND.exception("user " + user + " is not in " + file);
    }
    write(lines);
  }

  private static String userOf(String line) {
    int colon = line.indexOf(':');
    return colon < 0 ? line : line.substring(0, colon);
  }

  private List<String> lines() {
    try {
      return Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8)) : new ArrayList<>();
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("cannot read the passwd-file userdb " + file + " (store.usersFile): "
          + e.getMessage());
    }
  }

  private void write(List<String> lines) {
    Path tmp = file.resolveSibling(file.getFileName() + ".storefleet.tmp");
    try {
      Files.write(tmp, lines, StandardCharsets.UTF_8);
      if (Files.exists(file)) {
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw ErrorCode.IO_ERROR.exception("cannot write the passwd-file userdb " + file + " (store.usersFile): "
          + e.getMessage());
    }
  }
}
