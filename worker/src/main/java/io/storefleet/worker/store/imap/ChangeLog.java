package io.storefleet.worker.store.imap;

import io.storefleet.protocol.error.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dovecot's change feed as the store reads it: the {@code mail_log} plugin's lines in the log
 * file Dovecot writes its info messages to ({@code info_log_path}), each prefixed by {@code
 * mail_log_prefix = "storefleet-change %u: "}. It tells which users' mail changed, not what
 * changed: a pass of the account reads that (CONDSTORE), so a line lost to a log rotation or
 * a restart only delays the change to the next sweep. Starts at the end of the file: what
 * changed while the worker was not reading is the sweep's to find.
 */
final class ChangeLog {
  /** The {@code mail_log_prefix} the store expects (docs/mailstores.md). */
  static final String PREFIX = "storefleet-change ";
  /** A mail_log event line: the user and the event; other lines of the user's session are ignored. */
  private static final Pattern EVENT = Pattern.compile(Pattern.quote(PREFIX)
      + "(.+?): Info: (save|copy|expunge|flag_change|delete|undelete|append|Mailbox (?:created|deleted|renamed))\\b");
  /** At most this much is read per call; the rest the next time. */
  private static final long MAX_READ = 16L * 1024 * 1024;

  private final Path file;
  private Object fileKey;
  private long position;

  private ChangeLog(Path file) {
    this.file = file;
  }

  /** Follows {@code file} from its current end (or from its start once it appears). */
  static ChangeLog follow(Path file) {
    ChangeLog log = new ChangeLog(file);
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      log.fileKey = a.fileKey();
      log.position = a.size();
    } catch (NoSuchFileException e) {
      log.position = 0;
    } catch (IOException e) {
      throw unreadable(file, e);
    }
    return log;
  }

  /** The users whose mail changed in the lines written since the last call, in order. */
  Set<String> changedUsers() {
    Set<String> users = new LinkedHashSet<>();
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return users; // rotated away and not yet written again
    } catch (IOException e) {
      throw unreadable(file, e);
    }
    if (!Objects.equals(a.fileKey(), fileKey) || a.size() < position) {
      // Rotated (a new file, or truncated): its lines are all new.
      fileKey = a.fileKey();
      position = 0;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long available = Math.min(ch.size() - position, MAX_READ);
      ByteBuffer buf = ByteBuffer.allocate((int) Math.max(available, 0));
      ch.position(position);
      while (buf.hasRemaining() && ch.read(buf) > 0) {
        // read until the buffer is full
      }
      byte[] bytes = buf.array();
      int lineStart = 0;
      for (int i = 0; i < buf.position(); i++) {
        if (bytes[i] == '\n') {
          Matcher m = EVENT.matcher(new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8));
          if (m.find()) {
            users.add(m.group(1));
          }
          lineStart = i + 1;
        }
      }
      // A line without its newline yet is read again, whole, next time.
      position += lineStart;
    } catch (NoSuchFileException e) {
      return users;
    } catch (IOException e) {
      throw unreadable(file, e);
    }
    return users;
  }

  Path file() {
    return file;
  }

  private static RuntimeException unreadable(Path file, IOException e) {
    return ErrorCode.IO_ERROR.exception("cannot read Dovecot's change log " + file + " (" + e
        + "); check store.imapChangeLog names the file Dovecot's info_log_path writes and the worker may read it");
  }
}
