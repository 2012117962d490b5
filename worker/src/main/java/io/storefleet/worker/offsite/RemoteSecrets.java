package io.storefleet.worker.offsite;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.config.SecretFile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The off-site copy's secrets, from one owner-only file of {@code name = value} lines:
 * {@code access_key_id}, {@code secret_access_key} and {@code passphrase}. The passphrase opens
 * the repository key; without it the copy cannot be read by anyone, storefleet included.
 */
public record RemoteSecrets(String accessKeyId, String secretAccessKey, String passphrase) {
  @Override
  public String toString() {
    return "RemoteSecrets[accessKeyId=" + accessKeyId + ", secrets hidden]";
  }

  public static RemoteSecrets read(String setting, Path file) {
    String text;
    try {
      text = SecretFile.readAll(setting, file);
    } catch (IllegalArgumentException e) {
      throw ErrorCode.BAD_VALUE.exception(e.getMessage());
    }
    Map<String, String> v = new HashMap<>();
    for (String line : text.split("\n")) {
      String l = line.strip();
      int eq = l.indexOf('=');
      if (l.isEmpty() || l.startsWith("#") || eq < 0) {
        continue;
      }
      v.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
    }
    for (String k : new String[] {"access_key_id", "secret_access_key", "passphrase"}) {
      if (v.getOrDefault(k, "").isEmpty()) {
        throw ErrorCode.BAD_VALUE.exception("setting " + setting + ": " + file + " has no '" + k
            + " = ...' line; it needs access_key_id, secret_access_key and passphrase");
      }
    }
    return new RemoteSecrets(v.get("access_key_id"), v.get("secret_access_key"), v.get("passphrase"));
  }
}
