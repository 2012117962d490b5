package io.storefleet.worker.offsite;

import io.storefleet.protocol.error.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals every object that leaves the server, and names them: {@code "SFO1"}, a random 12-byte
 * nonce, then AES-256-GCM of the content with the object's key (its name in the bucket) as
 * associated data, so that an object moved to another name fails to open like a tampered one.
 * Names are HMAC-SHA256 of what identifies an object, under a key of their own: the bucket sees no
 * digest, path or account id.
 */
final class Sealer {
  static final byte[] MAGIC = "SFO1".getBytes(StandardCharsets.US_ASCII);
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec sealKey;
  private final byte[] nameKey;

  Sealer(RepositoryKey key) {
    this.sealKey = new SecretKeySpec(key.derive("storefleet-offsite seal v1"), "AES");
    this.nameKey = key.derive("storefleet-offsite names v1");
  }

  /** The name of an object identified by {@code what} (never stored in clear). */
  String name(String what) {
    return HexFormat.of().formatHex(RepositoryKey.hmac(nameKey, what.getBytes(StandardCharsets.UTF_8)));
  }

  byte[] seal(String objectKey, byte[] plain) {
    byte[] nonce = RepositoryKey.random(NONCE);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(objectKey.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(plain);
      return ByteBuffer.allocate(MAGIC.length + NONCE + sealed.length).put(MAGIC).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JDK", e);
    }
  }

  /** Bytes before a sealed object's ciphertext: the magic and the nonce. */
  static final int PREFIX = MAGIC.length + NONCE;

  /**
   * Decrypts {@code ciphertext}, the part of a sealed object's ciphertext that starts at its
   * 16-byte block {@code block}, given the object's first {@link #PREFIX} bytes. GCM encrypts in
   * counter mode (block {@code i} under the counter nonce || {@code i + 2}), so a range is read
   * without the rest; its tag, which covers the whole object, is not checked: the caller checks
   * what it decrypts against a digest from an authenticated object.
   */
  byte[] openRange(String objectKey, byte[] prefix, long block, byte[] ciphertext) {
    if (prefix.length < PREFIX || !java.util.Arrays.equals(prefix, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw ErrorCode.BACKUP_DAMAGED.exception("off-site object " + objectKey + " is not a sealed storefleet object"
          + " (bad header); it was damaged or replaced in the bucket");
    }
    byte[] iv = ByteBuffer.allocate(16).put(prefix, MAGIC.length, NONCE).putInt((int) (block + 2)).array();
    try {
      Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
      c.init(Cipher.DECRYPT_MODE, sealKey, new javax.crypto.spec.IvParameterSpec(iv));
      return c.doFinal(ciphertext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CTR is not available in this JDK", e);
    }
  }

  /**
   * The content of a sealed object.
   *
   * @throws io.storefleet.protocol.error.StorefleetException BACKUP_DAMAGED when the object was
   *     changed, cut, or sealed for another name or another repository key
   */
  byte[] open(String objectKey, byte[] sealed) {
    if (sealed.length < MAGIC.length + NONCE + TAG_BITS / 8
        || !java.util.Arrays.equals(sealed, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw ErrorCode.BACKUP_DAMAGED.exception("off-site object " + objectKey + " is not a sealed storefleet object"
          + " (bad header or too short); it was damaged or replaced in the bucket");
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, sealed, MAGIC.length, NONCE));
      c.updateAAD(objectKey.getBytes(StandardCharsets.UTF_8));
      return c.doFinal(sealed, MAGIC.length + NONCE, sealed.length - MAGIC.length - NONCE);
    } catch (AEADBadTagException e) {
      throw ErrorCode.BACKUP_DAMAGED.exception("off-site object " + objectKey + " fails authentication: it was"
          + " changed in the bucket, or moved from another name; its content is not used");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JDK", e);
    }
  }
}
