package io.storefleet.coordinator.requests;

import io.storefleet.protocol.error.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Where and how a request id's kept answer is stored in the cluster map: under a hash of the id,
 * encrypted (AES-GCM) with a key made from the id and the call's raw credential (its bearer token
 * or console session secret, which no cluster map holds). A kept answer may hold a secret shown
 * once (a new token), and the map is readable by every member; a request id alone may be short
 * or guessable, so only the client that sends it again with the same credential can read it.
 */
final class SealedEntry {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int IV_BYTES = 12;

  private final String key;
  private final SecretKeySpec secret;

  private SealedEntry(String key, SecretKeySpec secret) {
    this.key = key;
    this.secret = secret;
  }

  static SealedEntry forRequest(String requestId, String credential) {
    return new SealedEntry(HexFormat.of().formatHex(sha256("storefleet request key\n" + requestId)),
        new SecretKeySpec(sha256("storefleet request answer\n" + requestId + "\n" + credential), "AES"));
  }

  /** The map key: it names the request id without revealing it. */
  String key() {
    return key;
  }

  String seal(String plain) {
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, secret, new GCMParameterSpec(128, iv));
      byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed)
          .array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every Java 17 runtime", e);
    }
  }

  String open(String sealed) {
    try {
      byte[] all = Base64.getDecoder().decode(sealed);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, secret, new GCMParameterSpec(128, all, 0, IV_BYTES));
      return new String(c.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw ErrorCode.CONFLICT.exception("the kept answer of this request id (map "
          + io.storefleet.protocol.address.ClusterMaps.REQUESTS_ANSWERED + ", key " + key + ") cannot be opened with"
          + " this call's credential: the id was first sent with another token or session, or the entry is damaged ("
          + e + "); send the request with a new request id after checking whether the first one took effect");
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
