package io.storefleet.worker.offsite;

import io.storefleet.protocol.error.ErrorCode;
import io.storefleet.worker.service.BackupProperties;
import io.storefleet.worker.service.BackupProperty;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;

/**
 * Where a server's off-site copy goes, from its backup properties (set at global or server level
 * with {@code setProperty}). Each server's copy is under {@code <prefix>/<server>/} in the bucket.
 *
 * @param endpoint the S3-compatible endpoint URL
 * @param bucket the bucket, which must exist
 * @param prefix the key prefix shared by the servers' copies
 * @param region the region requests are signed for
 * @param pathStyle whether the bucket is addressed in the path
 * @param secretsFile the owner-only file of the access key, the secret key and the passphrase
 * @param checksum when the client adds its own checksums
 * @param bandwidthKiBps the upload limit in KiB/s, 0 for none
 * @param readBackPercent the share of each upload's objects read back and checked
 * @param pruneSecretsFile the owner-only file of the credentials remote pruning deletes with; null: none
 */
public record RemoteVolume(String endpoint, String bucket, String prefix, String region, boolean pathStyle,
    Path secretsFile, Checksum checksum, long bandwidthKiBps, int readBackPercent, Path pruneSecretsFile) {

  /** A volume without prune credentials. */
  public RemoteVolume(String endpoint, String bucket, String prefix, String region, boolean pathStyle,
      Path secretsFile, Checksum checksum, long bandwidthKiBps, int readBackPercent) {
    this(endpoint, bucket, prefix, region, pathStyle, secretsFile, checksum, bandwidthKiBps, readBackPercent, null);
  }

  /** When the S3 client calculates checksums of its own (Content-MD5 is always sent). */
  public enum Checksum {
    /** Only for operations that require one: what most S3-compatible servers accept. */
    WHEN_REQUIRED,
    /** Whenever the operation supports one (AWS's default; some S3-compatible servers refuse it). */
    WHEN_SUPPORTED;

    RequestChecksumCalculation request() {
      return this == WHEN_REQUIRED ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED;
    }

    ResponseChecksumValidation response() {
      return this == WHEN_REQUIRED ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED;
    }
  }

  /** The volume the properties describe, or null when {@code ZxBackup_RemoteEndpoint} is none. */
  public static RemoteVolume of(BackupProperties p) {
    String endpoint = p.effectiveValue(BackupProperty.REMOTE_ENDPOINT);
    if ("none".equals(endpoint)) {
      return null;
    }
    String secrets = p.effectiveValue(BackupProperty.REMOTE_SECRETS_FILE);
    String prune = p.effectiveValue(BackupProperty.REMOTE_PRUNE_SECRETS_FILE);
    return new RemoteVolume(endpoint, p.effectiveValue(BackupProperty.REMOTE_BUCKET), p.effectiveValue(BackupProperty.REMOTE_PREFIX),
        p.effectiveValue(BackupProperty.REMOTE_REGION), Boolean.parseBoolean(p.effectiveValue(BackupProperty.REMOTE_PATH_STYLE)),
        "none".equals(secrets) ? null : Path.of(secrets),
        Checksum.valueOf(p.effectiveValue(BackupProperty.REMOTE_CHECKSUM).toUpperCase(java.util.Locale.ROOT)),
        Long.parseLong(p.effectiveValue(BackupProperty.REMOTE_BANDWIDTH)),
        Integer.parseInt(p.effectiveValue(BackupProperty.REMOTE_READ_BACK)),
        "none".equals(prune) ? null : Path.of(prune));
  }

  /** The secrets, or BAD_VALUE naming the property to set. */
  public RemoteSecrets secrets(String serverId) {
    if (secretsFile == null) {
      throw ErrorCode.BAD_VALUE.exception("the off-site copy at " + endpoint + " has no secrets file; set "
          + BackupProperty.REMOTE_SECRETS_FILE.canonicalName() + " to an owner-only file (see docs/operations.md,"
          + " \"Off-site copy\")", serverId);
    }
    return RemoteSecrets.read(BackupProperty.REMOTE_SECRETS_FILE.canonicalName(), secretsFile);
  }

  /**
   * The credentials remote pruning deletes with, or BAD_VALUE when there are none of its own:
   * pruning never runs with the upload credentials alone.
   */
  public RemoteSecrets pruneSecrets(String serverId) {
    RemoteSecrets upload = secrets(serverId);
    if (pruneSecretsFile == null) {
      throw ErrorCode.BAD_VALUE.exception("doPruneRemoteBackup runs only with credentials of its own, allowed to"
          + " delete, and " + BackupProperty.REMOTE_PRUNE_SECRETS_FILE.canonicalName() + " is none: the upload"
          + " credentials of " + BackupProperty.REMOTE_SECRETS_FILE.canonicalName() + " are never used to delete."
          + " Set it to an owner-only file with access_key_id and secret_access_key (docs/operations.md, \"Pruning"
          + " the copy\")", serverId);
    }
    return RemoteSecrets.readPrune(BackupProperty.REMOTE_PRUNE_SECRETS_FILE.canonicalName(), pruneSecretsFile, upload,
        BackupProperty.REMOTE_SECRETS_FILE.canonicalName());
  }

  /** The key prefix of one server's copy, ending in '/'. */
  public String serverPrefix(String serverId) {
    String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    return (p.isEmpty() ? "" : p + "/") + serverId + "/";
  }

  /** What getBackupInfo shows (no secrets). */
  public Map<String, Object> describe() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("endpoint", endpoint);
    d.put("bucket", bucket);
    d.put("prefix", prefix);
    d.put("region", region);
    d.put("pathStyle", pathStyle);
    d.put("secretsFile", secretsFile == null ? "none" : secretsFile.toString());
    d.put("pruneSecretsFile", pruneSecretsFile == null ? "none" : pruneSecretsFile.toString());
    d.put("checksum", checksum.name().toLowerCase(java.util.Locale.ROOT));
    d.put("bandwidthKiBps", bandwidthKiBps);
    d.put("readBackPercent", readBackPercent);
    return d;
  }
}
