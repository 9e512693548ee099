package dev.tpo.llamacpp.hub;

import com.google.common.hash.HashCode;
import com.google.common.hash.Hashing;
import dev.tpo.core.error.AuthenticationException;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.ModelNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads Hugging Face hub files into the {@link ModelCache}, once. {@code
 * {endpoint}/{owner}/{repo}/resolve/{revision}/{file}} is fetched with the JDK's HTTP client, which
 * follows the hub's redirect to its file host; the bytes go to {@code FILE.part}, a partial file is
 * resumed with an HTTP {@code Range} request, the sha256 the hub publishes for LFS files ({@code
 * X-Linked-Etag}, else a 64-hex {@code ETag}) is checked, and the file is renamed into place
 * atomically. A lock file ({@code FILE.lock}, an OS file lock) makes sure two processes never write
 * the same file; the second one waits and then uses the first one's file. A progress bar goes to
 * stderr.
 *
 * <p>{@link #fromEnvironment()} reads {@code TPO_CACHE}, {@code TPO_HF_ENDPOINT} (a mirror, or a
 * test server), {@code TPO_OFFLINE=1} (no download: a missing file is an error naming where to
 * place it) and {@code HF_TOKEN} (sent as a bearer token, never printed or logged).
 *
 * <p>Thread-safe: concurrent calls for the same file download it once.
 */
public final class HubDownloader {
  private static final Logger LOG = LoggerFactory.getLogger(HubDownloader.class);
  /** The public hub. */
  public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
  private static final int ATTEMPTS = 4;

  private final URI endpoint;
  private final Path cache;
  private final boolean offline;
  private final String token;
  private final PrintStream progress;
  private final HttpClient http;
  private final PartWriter writer;

  private HubDownloader(Builder b) {
    this.endpoint = b.endpoint;
    this.cache = b.cache;
    this.offline = b.offline;
    this.token = b.token;
    this.progress = b.progress;
    this.writer = b.writer;
    this.http =
        b.http != null
            ? b.http
            : HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20))
                .build();
  }

  /**
   * A downloader configured from {@code TPO_CACHE}, {@code TPO_HF_ENDPOINT}, {@code TPO_OFFLINE}
   * and {@code HF_TOKEN}, with its progress bar on stderr.
   *
   * @return the downloader
   */
  public static HubDownloader fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * A downloader configured from the given environment; for tests and embedding.
   *
   * @param env the environment variables
   * @return the downloader
   */
  public static HubDownloader fromEnvironment(Map<String, String> env) {
    Builder b = builder().cacheDirectory(
        ModelCache.directory(env, System.getProperty("os.name", ""), System.getProperty("user.home")));
    String ep = env.get("TPO_HF_ENDPOINT");
    if (ep != null && !ep.isBlank()) {
      try {
        b.endpoint(URI.create(ep.trim()));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(
            "TPO_HF_ENDPOINT '" + ep + "' is not a URL: give one such as https://hf-mirror.example", e);
      }
    }
    String off = env.getOrDefault("TPO_OFFLINE", "");
    b.offline(off.equals("1") || off.equalsIgnoreCase("true") || off.equalsIgnoreCase("yes"));
    String t = env.get("HF_TOKEN");
    if (t != null && !t.isBlank()) {
      b.token(t.trim());
    }
    return b.build();
  }

  /**
   * A new builder: the public hub, the platform cache, online, no token, progress on stderr.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The cache folder.
   *
   * @return the folder
   */
  public Path cacheDirectory() {
    return cache;
  }

  /**
   * Where the file is (or would be) cached.
   *
   * @param file the hub file
   * @return its path in the cache
   */
  public Path cachePath(HfFile file) {
    return ModelCache.pathOf(cache, file);
  }

  /**
   * The URL the file is downloaded from.
   *
   * @param file the hub file
   * @return {@code {endpoint}/{owner}/{repo}/resolve/{revision}/{file}}
   */
  public URI urlOf(HfFile file) {
    String base = endpoint.toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(
        base + "/" + enc(file.owner()) + "/" + enc(file.repo()) + "/resolve/"
            + enc(file.revision()) + "/" + encPath(file.file()));
  }

  /**
   * The cached file, downloaded first when it is not in the cache.
   *
   * @param file the hub file
   * @return the local path of the complete, verified file
   * @throws ConfigurationException when offline and missing (naming where to place it), when the
   *     file does not exist on the hub, the checksum does not match, or the disk is full
   * @throws AuthenticationException when the hub refuses access (set HF_TOKEN)
   * @throws ConnectionFailedException when the hub cannot be reached after retries
   */
  public Path resolve(HfFile file) {
    Path target = cachePath(file);
    if (Files.isRegularFile(target)) {
      return target;
    }
    if (offline) {
      throw new ConfigurationException(
          "TPO_OFFLINE=1 forbids downloading " + file.spec() + ": place the file " + file.fileName()
              + " by hand at " + target + " (get it from " + urlOf(file)
              + " on a machine with access), or unset TPO_OFFLINE, or point TPO_HF_ENDPOINT at a"
              + " reachable mirror");
    }
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(target.toAbsolutePath(), k -> new ReentrantLock());
    jvmLock.lock();
    try {
      Files.createDirectories(target.getParent());
      Path lockFile = sibling(target, ".lock");
      try (FileChannel lockChannel =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = lockChannel.lock()) {
        if (Files.isRegularFile(target)) {
          return target; // another process finished it while we waited
        }
        download(file, target);
        return target;
      }
    } catch (IOException e) {
      throw new ConfigurationException(
          "cannot write to the model cache " + target.getParent() + " (" + e
              + "): make it writable or set TPO_CACHE to another folder",
          e);
    } finally {
      jvmLock.unlock();
    }
  }

  private void download(HfFile file, Path target) throws IOException {
    Path part = sibling(target, ".part");
    URI url = urlOf(file);
    LOG.info("downloading {} from {} to {}", file.spec(), url, target);
    ConnectionFailedException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        fetch(file, url, part);
        verifyAndMove(file, part, target);
        return;
      } catch (ConnectionFailedException e) {
        last = e;
        if (attempt == ATTEMPTS) {
          break;
        }
        LOG.warn(
            "download of {} interrupted ({}), attempt {} of {}; trying again",
            file.spec(), e.getMessage(), attempt, ATTEMPTS);
        sleep(attempt);
      }
    }
    throw last;
  }

  private void fetch(HfFile file, URI url, Path part) {
    long have = Files.isRegularFile(part) ? size(part) : 0;
    HttpRequest.Builder rb = HttpRequest.newBuilder(url).GET().timeout(Duration.ofMinutes(10));
    rb.header("User-Agent", "tpo-java");
    if (token != null) {
      rb.header("Authorization", "Bearer " + token);
    }
    if (have > 0) {
      rb.header("Range", "bytes=" + have + "-");
    }
    HttpResponse<InputStream> resp;
    try {
      resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new ConnectionFailedException("cannot reach " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectionFailedException("interrupted while downloading " + url, e);
    }
    int status = resp.statusCode();
    String expected = expectedSha256(resp).orElse(null);
    if (expected != null) {
      writeSidecar(part, expected);
    }
    try (InputStream in = resp.body()) {
      if (status == 416 && have > 0) {
        return; // the partial file is already complete
      }
      if (status == 401 || status == 403) {
        throw new AuthenticationException(
            "the hub refused " + url + " (HTTP " + status + "): the repository is gated or"
                + " private; accept its terms on the hub and set HF_TOKEN to a token with read"
                + " access" + (token != null ? " (a token was sent)" : ""),
            status,
            "");
      }
      if (status == 404) {
        throw new ModelNotFoundException(
            "no file " + file.file() + " in " + file.owner() + "/" + file.repo() + " at revision "
                + file.revision() + " (" + url + " answered 404): check the spec " + file.spec(),
            status,
            "");
      }
      if (status >= 500 || status == 429) {
        throw new ConnectionFailedException("the hub answered HTTP " + status + " for " + url, null);
      }
      if (status != 200 && status != 206) {
        throw new ConfigurationException(
            "unexpected HTTP " + status + " from " + url + " while downloading " + file.spec());
      }
      boolean append = status == 206;
      long start = append ? have : 0;
      long total =
          resp.headers().firstValueAsLong("Content-Length").orElse(-1) + (append ? have : 0);
      copy(in, part, append, start, total, file.fileName());
    } catch (IOException e) {
      throw new ConnectionFailedException("download of " + url + " broke off: " + e, e);
    }
  }

  private void copy(InputStream in, Path part, boolean append, long start, long total, String name)
      throws IOException {
    Progress bar = new Progress(progress, name, total);
    long done = start;
    byte[] buf = new byte[1 << 16];
    OutputStream opened;
    try {
      opened = writer.open(part, append);
    } catch (IOException e) {
      throw diskFailure(part, e).toConfiguration();
    }
    try (OutputStream out = opened) {
      while (true) {
        int n = in.read(buf); // an IOException here is a network failure: keep the partial file
        if (n < 0) {
          break;
        }
        try {
          out.write(buf, 0, n);
        } catch (IOException e) {
          throw diskFailure(part, e);
        }
        done += n;
        bar.update(done);
      }
    } catch (DiskFailure e) {
      throw e.toConfiguration();
    }
    bar.finish(done);
    if (total > 0 && done < total) {
      throw new IOException("connection closed after " + done + " of " + total + " bytes");
    }
  }

  private DiskFailure diskFailure(Path part, IOException e) {
    return new DiskFailure(part, e);
  }

  /** A write failure of the partial file: the disk is full or not writable. */
  private static final class DiskFailure extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path part;

    DiskFailure(Path part, IOException cause) {
      super(cause);
      this.part = part;
    }

    ConfigurationException toConfiguration() {
      try {
        Files.deleteIfExists(part);
        Files.deleteIfExists(sibling(part, ".sha256"));
      } catch (IOException ignored) {
        // best effort; the message says what failed
      }
      return new ConfigurationException(
          "cannot write " + part + " (" + getCause().getMessage() + "): the disk is full or not"
              + " writable; the partial download was removed. Free space there or set TPO_CACHE"
              + " to a folder on another disk",
          getCause());
    }
  }

  private void verifyAndMove(HfFile file, Path part, Path target) throws IOException {
    Path sidecar = sibling(part, ".sha256");
    String expected =
        Files.isRegularFile(sidecar) ? Files.readString(sidecar, StandardCharsets.US_ASCII).trim() : null;
    if (expected != null) {
      HashCode actual = com.google.common.io.Files.asByteSource(part.toFile()).hash(Hashing.sha256());
      if (!actual.toString().equals(expected)) {
        Files.deleteIfExists(part);
        Files.deleteIfExists(sidecar);
        throw new ConfigurationException(
            "the download of " + file.spec() + " is corrupt: its sha256 is " + actual
                + " but the hub published " + expected + "; the partial file was removed. Try"
                + " again; if it repeats, check TPO_HF_ENDPOINT's mirror");
      }
    } else {
      LOG.warn("the hub published no sha256 for {}; the download is not verified", file.spec());
    }
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Files.deleteIfExists(sidecar);
  }

  /** The sha256 of an LFS file: X-Linked-Etag on the hub's redirect, else a sha256-shaped ETag. */
  static Optional<String> expectedSha256(HttpResponse<?> resp) {
    for (HttpResponse<?> r = resp; r != null; r = r.previousResponse().orElse(null)) {
      Optional<String> s = sha(r.headers(), "X-Linked-Etag");
      if (s.isPresent()) {
        return s;
      }
    }
    for (HttpResponse<?> r = resp; r != null; r = r.previousResponse().orElse(null)) {
      Optional<String> s = sha(r.headers(), "ETag");
      if (s.isPresent()) {
        return s;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> sha(HttpHeaders h, String name) {
    return h.firstValue(name)
        .map(v -> v.trim().replaceFirst("^W/", "").replace("\"", "").toLowerCase(Locale.ROOT))
        .filter(v -> SHA256.matcher(v).matches());
  }

  private static void writeSidecar(Path part, String sha) {
    try {
      Files.createDirectories(part.getParent());
      Files.writeString(sibling(part, ".sha256"), sha, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      LOG.debug("cannot record the expected sha256 beside {}", part, e);
    }
  }

  static Path sibling(Path p, String suffix) {
    String name = p.getFileName().toString();
    if (name.endsWith(".part") && !suffix.equals(".part")) {
      name = name.substring(0, name.length() - ".part".length());
    }
    return p.resolveSibling(name + suffix);
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void sleep(int attempt) {
    try {
      Thread.sleep(Math.min(5000, 250L * attempt * attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String encPath(String s) {
    StringBuilder b = new StringBuilder();
    for (String seg : s.split("/")) {
      if (b.length() > 0) {
        b.append('/');
      }
      b.append(enc(seg));
    }
    return b.toString();
  }

  /**
   * Opens the partial file for writing; a seam so tests can simulate a full disk. Implementations
   * are called by whichever thread downloads and must be thread-safe.
   */
  @FunctionalInterface
  public interface PartWriter {
    /**
     * Opens the partial file.
     *
     * @param part the file
     * @param append whether to append (a resumed download) or start over
     * @return the stream
     * @throws IOException when the file cannot be opened
     */
    OutputStream open(Path part, boolean append) throws IOException;
  }

  /** Builds a {@link HubDownloader}. Not thread-safe. */
  public static final class Builder {
    private URI endpoint = DEFAULT_ENDPOINT;
    private Path cache = ModelCache.defaultDirectory();
    private boolean offline;
    private String token;
    private PrintStream progress = System.err;
    private HttpClient http;
    private PartWriter writer =
        (part, append) ->
            Files.newOutputStream(
                part,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);

    private Builder() {}

    /**
     * The hub or mirror. Default {@link #DEFAULT_ENDPOINT}.
     *
     * @param endpoint the base URL
     * @return this builder
     */
    public Builder endpoint(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /**
     * The cache folder. Default {@link ModelCache#defaultDirectory()}.
     *
     * @param folder the folder
     * @return this builder
     */
    public Builder cacheDirectory(Path folder) {
      this.cache = Objects.requireNonNull(folder, "folder");
      return this;
    }

    /**
     * Whether downloads are forbidden. Default false.
     *
     * @param offline true to forbid
     * @return this builder
     */
    public Builder offline(boolean offline) {
      this.offline = offline;
      return this;
    }

    /**
     * A hub access token, sent as {@code Authorization: Bearer}; never printed.
     *
     * @param token the token, or null for none
     * @return this builder
     */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /**
     * Where the progress bar goes; null for none. Default stderr.
     *
     * @param out the stream or null
     * @return this builder
     */
    public Builder progress(PrintStream out) {
      this.progress = out;
      return this;
    }

    /**
     * The HTTP client; it must follow redirects. Default: the JDK client.
     *
     * @param client the client
     * @return this builder
     */
    public Builder httpClient(HttpClient client) {
      this.http = client;
      return this;
    }

    /**
     * How the partial file is opened (a seam for tests).
     *
     * @param writer the opener
     * @return this builder
     */
    public Builder partWriter(PartWriter writer) {
      this.writer = Objects.requireNonNull(writer, "writer");
      return this;
    }

    /**
     * Builds the downloader.
     *
     * @return the downloader
     */
    public HubDownloader build() {
      return new HubDownloader(this);
    }
  }

  @Override
  public String toString() {
    return "HubDownloader{endpoint=" + endpoint + ", cache=" + cache + ", offline=" + offline
        + ", token=" + (token == null ? "none" : "set") + "}";
  }
}
