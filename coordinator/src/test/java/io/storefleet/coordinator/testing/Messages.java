package io.storefleet.coordinator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small test messages to disk for injection. */
public final class Messages {
  private Messages() {}

  /** A folder with {@code n} distinct messages. */
  public static Path folder(Path dir, String prefix, int n) throws IOException {
    Files.createDirectories(dir);
    for (int i = 0; i < n; i++) {
      String msg = "From: sender" + i + "@example.org\r\nTo: " + prefix + "@example.com\r\n"
          + "Subject: " + prefix + " message " + i + "\r\nMessage-ID: <" + prefix + i + "@test>\r\n\r\n"
          + "Body of message " + i + " for " + prefix + ".\r\n";
      Files.writeString(dir.resolve(String.format("%04d.eml", i)), msg, StandardCharsets.UTF_8);
    }
    return dir;
  }
}
