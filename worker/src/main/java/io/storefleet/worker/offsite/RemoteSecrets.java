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
    Map<String, String> v = fields(setting, file, "access_key_id", "secret_access_key", "passphrase");
    return new RemoteSecrets(v.get("access_key_id"), v.get("secret_access_key"), v.get("passphrase"));
  }

  /**
   * The credentials remote pruning deletes with, from their own owner-only file ({@code
   * access_key_id} and {@code secret_access_key}; a passphrase there is not needed), with the
   * passphrase of {@code upload}. Refused when they are the upload's: pruning must not make the
   * workers' everyday credentials need delete.
   */
  public static RemoteSecrets readPrune(String setting, Path file, RemoteSecrets upload, String uploadSetting) {
    Map<String, String> v = fields(setting, file, "access_key_id", "secret_access_key");
    if (v.get("access_key_id").equals(upload.accessKeyId())) {
      throw ErrorCode.BAD_VALUE.exception("setting " + setting + ": " + file + " names the access key "
          + upload.accessKeyId() + ", the upload's (" + uploadSetting + "); remote pruning runs only with separate"
          + " credentials allowed to delete, so that the workers' own need only put, get and list (docs/operations.md,"
          + " \"Pruning the copy\")");
    }
    return new RemoteSecrets(v.get("access_key_id"), v.get("secret_access_key"), upload.passphrase());
  }

  private static Map<String, String> fields(String setting, Path file, String... required) {
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
    for (String k : required) {
      if (v.getOrDefault(k, "").isEmpty()) {
        throw ErrorCode.BAD_VALUE.exception("setting " + setting + ": " + file + " has no '" + k
            + " = ...' line; it needs " + String.join(", ", required));
      }
    }
    return v;
  }
}
