package io.storefleet.worker.offsite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What a put sends, seen by a plain HTTP server standing in for S3: the explicit checksum of
 * every object (Content-MD5, which the server checks against the bytes it received), and the
 * SDK's own checksums only when {@code ZxBackup_RemoteChecksum} asks for them (many
 * S3-compatible servers refuse them).
 */
class S3ObjectStoreTest {
  private record Request(String method, String path, Map<String, String> headers, byte[] body) {}

  @Test
  void everyPutCarriesItsContentMd5AndTheSdksOwnChecksumsOnlyWhenAskedFor() throws Exception {
    byte[] bytes = "a sealed object, as a pack would be".getBytes(StandardCharsets.UTF_8);
    Request required = put(RemoteVolume.Checksum.WHEN_REQUIRED, bytes);
    assertEquals("PUT", required.method());
    assertEquals("/backups/fleet/mbox1/data/x", required.path());
    // Over http the SDK signs the body in chunks (aws-chunked); the object is its one data chunk.
    assertTrue(new String(required.body(), StandardCharsets.UTF_8).contains(new String(bytes, StandardCharsets.UTF_8)));
    assertEquals(String.valueOf(bytes.length), required.headers().get("x-amz-decoded-content-length"));
    assertEquals(Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes)),
        required.headers().get("content-md5"));
    assertFalse(required.headers().keySet().stream().anyMatch(S3ObjectStoreTest::sdkChecksum), required.headers()
        .toString());

    Request supported = put(RemoteVolume.Checksum.WHEN_SUPPORTED, bytes);
    assertEquals(required.headers().get("content-md5"), supported.headers().get("content-md5"));
    assertTrue(supported.headers().keySet().stream().anyMatch(S3ObjectStoreTest::sdkChecksum), supported.headers()
        .toString());
  }

  private static boolean sdkChecksum(String header) {
    return header.startsWith("x-amz-checksum-") || header.equals("x-amz-trailer")
        || header.equals("x-amz-sdk-checksum-algorithm");
  }

  private static Request put(RemoteVolume.Checksum checksum, byte[] bytes) throws Exception {
    AtomicReference<Request> seen = new AtomicReference<>();
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", ex -> {
      Map<String, String> headers = new TreeMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      seen.set(new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), headers,
          ex.getRequestBody().readAllBytes()));
      ex.getResponseHeaders().add("ETag", "\"0\"");
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    http.start();
    try {
      RemoteVolume v = new RemoteVolume("http://127.0.0.1:" + http.getAddress().getPort(), "backups", "fleet",
          "us-east-1", true, Path.of("/unused.secrets"), checksum, 0, 5);
      try (ObjectStore store = S3ObjectStore.open(v, new RemoteSecrets("key", "secret", "unused"))) {
        store.put("fleet/mbox1/data/x", bytes);
      }
    } finally {
      http.stop(0);
    }
    return seen.get();
  }
}
