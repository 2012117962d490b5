package io.storefleet.worker.store.local;

import io.storefleet.protocol.error.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads raw messages to inject: a file ending in {@code .mbox} is split into its messages; any
 * other file is one message, byte for byte (a leading mbox {@code From } envelope line included);
 * a directory gives each of its regular files (not recursively), in file-name order.
 */
public final class MessageSources {
  private static final byte[] FROM_ = {'F', 'r', 'o', 'm', ' '};

  private MessageSources() {}

  public static List<byte[]> read(Path source) throws IOException {
    if (!Files.exists(source)) {
      throw ErrorCode.NOT_FOUND.exception(
          "message source " + source + " not found; give an .eml file, a directory of them or an .mbox file");
    }
    if (Files.isDirectory(source)) {
      return readDirectory(source);
    }
    return readFile(source);
  }

  private static List<byte[]> readDirectory(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.filter(Files::isRegularFile)
              .sorted(Comparator.comparing(p -> p.getFileName().toString()))
              .toList();
    } catch (AccessDeniedException e) {
      throw unreadable(dir);
    }
    if (files.isEmpty()) {
      throw ErrorCode.BAD_VALUE.exception(
          "message source directory " + dir + " holds no files; put .eml or .mbox files in it");
    }
    List<byte[]> messages = new ArrayList<>();
    for (Path f : files) {
      messages.addAll(readFile(f));
    }
    return messages;
  }

  private static List<byte[]> readFile(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw ErrorCode.BAD_VALUE.exception(
          "message source " + file + " is neither a regular file nor a directory");
    }
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (AccessDeniedException e) {
      throw unreadable(file);
    }
    if (content.length == 0) {
      throw ErrorCode.BAD_VALUE.exception("message file " + file + " is empty; remove it from the source");
    }
    if (!file.getFileName().toString().endsWith(".mbox")) {
      return List.of(content);
    }
    List<byte[]> messages = splitMbox(content, file);
    if (messages.isEmpty()) {
      throw ErrorCode.BAD_VALUE.exception("mbox file " + file + " holds no messages");
    }
    return messages;
  }

  /**
   * Splits an mbox on lines starting with {@code From }. The newline just before a separator
   * belongs to the separator (mbox writers add it), and so does a blank line ending the file;
   * mboxrd quoting ({@code >From }, {@code >>From }...) loses one {@code >}.
   */
  static List<byte[]> splitMbox(byte[] mbox, Path file) {
    List<byte[]> messages = new ArrayList<>();
    ByteArrayOutputStream current = null;
    int pos = 0;
    int lineNo = 1;
    while (pos < mbox.length) {
      int end = lineEnd(mbox, pos);
      if (startsWith(mbox, pos, FROM_)) {
        addMessage(messages, current, false);
        current = new ByteArrayOutputStream();
      } else if (current == null) {
        if (!isBlank(mbox, pos, end)) {
          throw ErrorCode.BAD_VALUE.exception(
              "mbox file " + file + " does not start with a 'From ' line (line " + lineNo
                  + "); rename it without .mbox to inject it as one message");
        }
      } else {
        int quotes = 0;
        while (pos + quotes < end && mbox[pos + quotes] == '>') {
          quotes++;
        }
        int from = quotes > 0 && startsWith(mbox, pos + quotes, FROM_) ? pos + 1 : pos;
        current.write(mbox, from, end - from);
      }
      pos = end;
      lineNo++;
    }
    addMessage(messages, current, true);
    return messages;
  }

  private static void addMessage(List<byte[]> messages, ByteArrayOutputStream current, boolean atEnd) {
    if (current == null) {
      return;
    }
    byte[] m = current.toByteArray();
    int len = m.length - newlineAt(m, m.length);
    if (atEnd && (len == m.length || newlineAt(m, len) == 0)) {
      len = m.length; // the file ends without a blank line: the last newline is the message's
    }
    if (len > 0) {
      messages.add(Arrays.copyOf(m, len));
    }
  }

  /** The length of the line break ending at {@code end} (2 for CRLF, 1 for LF, else 0). */
  private static int newlineAt(byte[] b, int end) {
    if (end >= 2 && b[end - 2] == '\r' && b[end - 1] == '\n') {
      return 2;
    }
    return end >= 1 && b[end - 1] == '\n' ? 1 : 0;
  }

  private static int lineEnd(byte[] b, int at) {
    int i = at;
    while (i < b.length && b[i] != '\n') {
      i++;
    }
    return Math.min(i + 1, b.length);
  }

  private static boolean startsWith(byte[] b, int at, byte[] prefix) {
    if (b.length - at < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isBlank(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\n') {
        return false;
      }
    }
    return true;
  }

  private static RuntimeException unreadable(Path path) {
    return ErrorCode.BAD_VALUE.exception(
        "message source " + path + " is not readable by the worker; fix its permissions");
  }
}
