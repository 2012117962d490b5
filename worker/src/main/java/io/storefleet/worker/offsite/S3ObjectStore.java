package io.storefleet.worker.offsite;

import java.io.IOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An {@link ObjectStore} on S3-compatible storage through the AWS SDK for Java v2, with the
 * JDK's URL connection as its HTTP client (no Netty, no Apache client). Checksums are calculated
 * only when an operation requires them unless the volume asks otherwise: many S3-compatible
 * servers refuse the SDK's default trailing checksums. Each put carries its Content-MD5.
 */
public final class S3ObjectStore implements ObjectStore {
  private final S3Client s3;
  private final String bucket;
  private final String described;
  private final boolean deletes;

  private S3ObjectStore(S3Client s3, String bucket, String described, boolean deletes) {
    this.s3 = s3;
    this.bucket = bucket;
    this.described = described;
    this.deletes = deletes;
  }

  /** A client for the volume, signing with the given access key; it refuses to delete. */
  public static S3ObjectStore open(RemoteVolume v, RemoteSecrets secrets) {
    return open(v, secrets, false);
  }

  /** A client for remote pruning, signing with the prune credentials: the one store that deletes. */
  public static S3ObjectStore openForPrune(RemoteVolume v, RemoteSecrets pruneSecrets) {
    return open(v, pruneSecrets, true);
  }

  private static S3ObjectStore open(RemoteVolume v, RemoteSecrets secrets, boolean deletes) {
    var builder = S3Client.builder()
        .endpointOverride(URI.create(v.endpoint()))
        .region(Region.of(v.region()))
        .forcePathStyle(v.pathStyle())
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(secrets.accessKeyId(), secrets.secretAccessKey())))
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60)))
        .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
        .requestChecksumCalculation(v.checksum().request())
        .responseChecksumValidation(v.checksum().response());
    return new S3ObjectStore(builder.build(), v.bucket(), v.endpoint() + " bucket " + v.bucket(), deletes);
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    try {
      s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentMD5(md5(bytes))
          .contentLength((long) bytes.length).build(), RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw new IOException("put of " + key + " to " + described + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
    try {
      s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentMD5(md5(bytes)).ifNoneMatch("*")
          .contentLength((long) bytes.length).build(), RequestBody.fromBytes(bytes));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 412) {
        return false; // PreconditionFailed: the object is there, and stays as it was
      }
      throw new IOException("put of " + key + " to " + described + " failed: " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException("put of " + key + " to " + described + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<byte[]> get(String key) throws IOException {
    try {
      return Optional.of(s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build()).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw new IOException("get of " + key + " from " + described + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<byte[]> getRange(String key, long from, int length) throws IOException {
    if (length <= 0) {
      return Optional.of(new byte[0]);
    }
    try {
      return Optional.of(s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key)
          .range("bytes=" + from + "-" + (from + length - 1)).build()).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 416) {
        // The range starts at or past the object's end (a cut object): fewer bytes, as the contract
        // says, so the reader reports the entry broken rather than the read failed.
        return Optional.of(new byte[0]);
      }
      throw new IOException("ranged get of " + key + " from " + described + " failed: " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException("ranged get of " + key + " from " + described + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean exists(String key) throws IOException {
    try {
      s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build());
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw new IOException("head of " + key + " at " + described + " failed: " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException("head of " + key + " at " + described + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    if (!deletes) {
      ObjectStore.super.delete(key);
    }
    try {
      s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(key).build());
    } catch (SdkException e) {
      throw new IOException("delete of " + key + " at " + described + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    try {
      List<String> out = new ArrayList<>();
      for (var page : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())) {
        for (S3Object o : page.contents()) {
          out.add(o.key());
        }
      }
      return out;
    } catch (SdkException e) {
      throw new IOException("listing " + prefix + " at " + described + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return described;
  }

  @Override
  public void close() {
    s3.close();
  }

  private static String md5(byte[] bytes) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is not available in this JDK", e);
    }
  }
}
