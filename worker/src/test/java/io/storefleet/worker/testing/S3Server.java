package io.storefleet.worker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 server in the test JVM: S3Proxy over a filesystem blob store in {@code dir}, on a free
 * loopback port, with signature-checked credentials. {@link #stop} and {@link #start} keep the
 * objects and the port, so a test can take the server away in the middle of an upload.
 */
public final class S3Server implements AutoCloseable {
  public static final String ACCESS_KEY = "storefleet-test";
  public static final String SECRET_KEY = "storefleet-test-secret";

  private final Path dir;
  private final BlobStoreContext context;
  private final int port;
  private S3Proxy proxy;

  public S3Server(Path dir, String bucket) throws Exception {
    this.dir = dir;
    Files.createDirectories(dir);
    Properties p = new Properties();
    p.setProperty("jclouds.filesystem.basedir", dir.toString());
    context = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential").overrides(p)
        .build(BlobStoreContext.class);
    context.getBlobStore().createContainerInLocation(null, bucket);
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    start();
  }

  public synchronized void start() throws Exception {
    if (proxy != null) {
      return;
    }
    S3Proxy p = S3Proxy.builder().blobStore(blobStore()).endpoint(URI.create(endpoint()))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
    p.start();
    proxy = p;
  }

  public synchronized void stop() throws Exception {
    if (proxy != null) {
      proxy.stop();
      proxy = null;
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public BlobStore blobStore() {
    return context.getBlobStore();
  }

  /** Every object's file under the blob store's folder (what the bucket holds, as the provider sees it). */
  public List<Path> objectFiles() {
    try (Stream<Path> s = Files.walk(dir)) {
      return new ArrayList<>(s.filter(Files::isRegularFile).toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() throws Exception {
    stop();
    context.close();
  }
}
