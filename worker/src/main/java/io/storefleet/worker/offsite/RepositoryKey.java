package io.storefleet.worker.offsite;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.storefleet.protocol.codec.Json;
import io.storefleet.protocol.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The repository key of an off-site copy and its wrapping by the passphrase (restic's model): 32
 * random bytes, stored in the bucket only as {@code keys/<id>}, encrypted with AES-256-GCM under a
 * key derived from the passphrase by PBKDF2-HMAC-SHA256. The keys that seal objects and that name
 * them are derived from it, one per purpose, so that neither reveals the other.
 */
public final class RepositoryKey {
  /** PBKDF2 iterations of a new key file: OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
  public static final int DEFAULT_ITERATIONS = 600_000;
  /**
   * The most iterations a key file may ask for: far above any honest setting, low enough that a
   * planted key file cannot stall every open for hours.
   */
  static final int MAX_ITERATIONS = 10_000_000;
  static final String KDF = "PBKDF2WithHmacSHA256";
  private static final byte[] WRAP_AAD = "storefleet-offsite key v1".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Keys unwrapped in this process, the last few (see {@link #unwrap}). */
  private static final java.util.Map<String, RepositoryKey> UNWRAPPED = new java.util.LinkedHashMap<>(16, 0.75f,
      true) {
    @Override
    protected boolean removeEldestEntry(java.util.Map.Entry<String, RepositoryKey> eldest) {
      return size() > 8;
    }
  };

  /** The key file's JSON, the only object in the bucket that is not sealed with the repository key. */
  record KeyFile(@JsonProperty("kdf") String kdf, @JsonProperty("iterations") int iterations,
      @JsonProperty("salt") String salt, @JsonProperty("nonce") String nonce,
      @JsonProperty("wrapped") String wrapped, @JsonProperty("created") String created) {}

  private final byte[] master;

  private RepositoryKey(byte[] master) {
    this.master = master;
  }

  /** A new random key. */
  static RepositoryKey generate() {
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    return new RepositoryKey(k);
  }

  /** The key file that holds this key wrapped by {@code passphrase}. */
  byte[] wrap(char[] passphrase, int iterations, String created) {
    byte[] salt = random(16);
    byte[] nonce = random(12);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, derive(passphrase, salt, iterations), new GCMParameterSpec(128, nonce));
      c.updateAAD(WRAP_AAD);
      byte[] wrapped = c.doFinal(master);
      Base64.Encoder b = Base64.getEncoder();
      byte[] file = Json.encode(new KeyFile(KDF, iterations, b.encodeToString(salt), b.encodeToString(nonce),
          b.encodeToString(wrapped), created)).getBytes(StandardCharsets.UTF_8);
      // Remembered as unwrap would: the upload after the one that created the copy reads this
      // key file back, and would otherwise derive the passphrase's key a second time.
      synchronized (UNWRAPPED) {
        UNWRAPPED.put(unwrapped(file, passphrase), this);
      }
      return file;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JDK", e);
    }
  }

  /**
   * The key a key file holds, remembered in this process for the same key file and passphrase: a
   * worker uploads after every scan, and each PBKDF2 derivation costs about a second of CPU. Only
   * memory holds it, next to the passphrase this process reads anyway.
   *
   * @throws io.storefleet.protocol.error.StorefleetException CONFLICT when the passphrase is wrong
   */
  static RepositoryKey unwrap(byte[] keyFile, char[] passphrase, String where) {
    String id = unwrapped(keyFile, passphrase);
    synchronized (UNWRAPPED) {
      RepositoryKey known = UNWRAPPED.get(id);
      if (known != null) {
        return known;
      }
    }
    RepositoryKey key = unwrapNow(keyFile, passphrase, where);
    synchronized (UNWRAPPED) {
      UNWRAPPED.put(id, key);
    }
    return key;
  }

  /** What names an unwrapped key in {@link #UNWRAPPED}: a hash of the key file and the passphrase. */
  private static String unwrapped(byte[] keyFile, char[] passphrase) {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      md.update(keyFile);
      md.update((byte) 0);
      md.update(new String(passphrase).getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JDK", e);
    }
  }

  private static RepositoryKey unwrapNow(byte[] keyFile, char[] passphrase, String where) {
    KeyFile f;
    try {
      f = Json.decode(new String(keyFile, StandardCharsets.UTF_8), KeyFile.class);
    } catch (RuntimeException e) {
      throw ErrorCode.BACKUP_DAMAGED.exception("the key file " + where + " is not a storefleet key file: " + e.getMessage());
    }
    if (!KDF.equals(f.kdf()) || f.iterations() < 1 || f.iterations() > MAX_ITERATIONS) {
      throw ErrorCode.BACKUP_DAMAGED.exception("the key file " + where + " names KDF " + f.kdf() + " with "
          + f.iterations() + " iterations; this storefleet reads " + KDF + " with 1 to " + MAX_ITERATIONS);
    }
    if (f.salt() == null || f.nonce() == null || f.wrapped() == null) {
      throw ErrorCode.BACKUP_DAMAGED.exception("the key file " + where + " lacks its salt, nonce or wrapped key");
    }
    Base64.Decoder b = Base64.getDecoder();
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, derive(passphrase, b.decode(f.salt()), f.iterations()),
          new GCMParameterSpec(128, b.decode(f.nonce())));
      c.updateAAD(WRAP_AAD);
      return new RepositoryKey(c.doFinal(b.decode(f.wrapped())));
    } catch (AEADBadTagException e) {
      throw ErrorCode.CONFLICT.exception("the passphrase does not open the key " + where
          + "; give the passphrase the off-site copy was created with (without it the copy cannot be read)");
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw ErrorCode.BACKUP_DAMAGED.exception("the key file " + where + " is damaged: " + e.getMessage());
    }
  }

  /** A sub-key for one purpose: HMAC-SHA256 of the purpose under the repository key. */
  byte[] derive(String purpose) {
    return hmac(master, purpose.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      return m.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
    }
  }

  private static SecretKeySpec derive(char[] passphrase, byte[] salt, int iterations) throws GeneralSecurityException {
    PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
    try {
      return new SecretKeySpec(SecretKeyFactory.getInstance(KDF).generateSecret(spec).getEncoded(), "AES");
    } finally {
      spec.clearPassword();
    }
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
