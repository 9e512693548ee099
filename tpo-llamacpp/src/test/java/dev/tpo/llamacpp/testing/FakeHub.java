package dev.tpo.llamacpp.testing;

import com.google.common.hash.Hashing;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server that behaves like the Hugging Face hub for file downloads: {@code
 * /OWNER/REPO/resolve/REV/FILE} answers 302 to a file host path {@code /cdn/SHA256} with the
 * file's sha256 in {@code X-Linked-Etag} (as the hub does for LFS files); the file host serves the
 * bytes with {@code Range} support. Faults: drop the connection midway, serve corrupted bytes,
 * serve slowly, require a token.
 *
 * <p>Thread-safe. Close it to stop the server.
 */
public final class FakeHub implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  /** Range headers received by the file host, in order ("" for none). */
  public final List<String> ranges = new CopyOnWriteArrayList<>();
  /** Authorization headers received by the resolve endpoint ("" for none). */
  public final List<String> authorizations = new CopyOnWriteArrayList<>();
  /** Bodies the file host started to send. */
  public final AtomicInteger bodiesServed = new AtomicInteger();
  private final AtomicInteger dropsLeft = new AtomicInteger();
  private final AtomicInteger corruptLeft = new AtomicInteger();
  private volatile long dropAfter;
  private volatile int chunkDelayMillis;
  private volatile String requiredToken;

  /** Starts the server on a free local port. */
  public FakeHub() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-hub");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * The endpoint, for {@code TPO_HF_ENDPOINT}.
   *
   * @return {@code http://127.0.0.1:PORT}
   */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Publishes a file.
   *
   * @param repoPath {@code OWNER/REPO/resolve/REV/FILE} without a leading slash
   * @param bytes the content
   * @return the content's sha256
   */
  public String put(String repoPath, byte[] bytes) {
    String sha = Hashing.sha256().hashBytes(bytes).toString();
    files.put("/" + repoPath, bytes);
    blobs.put(sha, bytes);
    return sha;
  }

  /**
   * Drops the next {@code times} file-host connections after {@code bytes} bytes of the body.
   *
   * @param times how many
   * @param bytes after how many bytes
   */
  public void dropConnection(int times, long bytes) {
    this.dropAfter = bytes;
    this.dropsLeft.set(times);
  }

  /**
   * Flips a byte in the next {@code times} bodies.
   *
   * @param times how many
   */
  public void corrupt(int times) {
    corruptLeft.set(times);
  }

  /**
   * Sleeps between 16 KiB chunks of a body.
   *
   * @param millis the delay
   */
  public void slow(int millis) {
    chunkDelayMillis = millis;
  }

  /**
   * Answers 401 unless this bearer token is sent.
   *
   * @param token the token
   */
  public void requireToken(String token) {
    this.requiredToken = token;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (path.startsWith("/cdn/")) {
        serveBlob(ex, path.substring(5));
        return;
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      authorizations.add(auth == null ? "" : auth);
      if (requiredToken != null && !("Bearer " + requiredToken).equals(auth)) {
        ex.sendResponseHeaders(401, -1);
        return;
      }
      byte[] file = files.get(path);
      if (file == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      String sha = Hashing.sha256().hashBytes(file).toString();
      ex.getResponseHeaders().add("Location", "/cdn/" + sha);
      ex.getResponseHeaders().add("X-Linked-Etag", "\"" + sha + "\"");
      ex.getResponseHeaders().add("X-Linked-Size", Integer.toString(file.length));
      ex.getResponseHeaders().add("ETag", "\"0123456789abcdef0123456789abcdef01234567\"");
      ex.sendResponseHeaders(302, -1);
    }
  }

  private void serveBlob(HttpExchange ex, String sha) throws IOException {
    byte[] blob = blobs.get(sha);
    if (blob == null) {
      ex.sendResponseHeaders(404, -1);
      return;
    }
    String range = ex.getRequestHeaders().getFirst("Range");
    ranges.add(range == null ? "" : range);
    int start = 0;
    if (range != null && range.startsWith("bytes=")) {
      start = Integer.parseInt(range.substring(6, range.indexOf('-')));
      if (start >= blob.length) {
        ex.getResponseHeaders().add("Content-Range", "bytes */" + blob.length);
        ex.sendResponseHeaders(416, -1);
        return;
      }
      ex.getResponseHeaders().add(
          "Content-Range", "bytes " + start + "-" + (blob.length - 1) + "/" + blob.length);
    }
    byte[] body = java.util.Arrays.copyOfRange(blob, start, blob.length);
    if (corruptLeft.getAndDecrement() > 0) {
      body[body.length / 2] ^= 0x5A;
    }
    ex.getResponseHeaders().add("ETag", "\"" + sha + "\"");
    ex.sendResponseHeaders(range != null ? 206 : 200, body.length);
    bodiesServed.incrementAndGet();
    boolean drop = dropsLeft.getAndDecrement() > 0;
    OutputStream out = ex.getResponseBody();
    int chunk = 16 * 1024;
    for (int off = 0; off < body.length; off += chunk) {
      int n = Math.min(chunk, body.length - off);
      if (drop && off + n > dropAfter) {
        out.write(body, off, (int) Math.max(0, dropAfter - off));
        out.flush();
        // Close the socket under the response: the client sees the body end early.
        throw new IOException("fake hub: dropping the connection");
      }
      out.write(body, off, n);
      out.flush();
      if (chunkDelayMillis > 0) {
        try {
          Thread.sleep(chunkDelayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
