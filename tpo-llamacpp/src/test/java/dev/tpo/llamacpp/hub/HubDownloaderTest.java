package dev.tpo.llamacpp.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.hash.Hashing;
import dev.tpo.core.error.AuthenticationException;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.ModelNotFoundException;
import dev.tpo.llamacpp.testing.DownloadMain;
import dev.tpo.llamacpp.testing.FakeHub;
import dev.tpo.llamacpp.testing.TinyGguf;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class HubDownloaderTest {
  private static final String SPEC = "hf:tpo/tiny-GGUF/tiny-q8.gguf";
  private static final String REPO_PATH = "tpo/tiny-GGUF/resolve/main/tiny-q8.gguf";

  @TempDir Path cache;
  private FakeHub hub;
  private byte[] model;
  private String sha;

  @BeforeEach
  void start() {
    hub = new FakeHub();
    model = new TinyGguf().bytes();
    sha = hub.put(REPO_PATH, model);
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private HubDownloader.Builder downloader() {
    return HubDownloader.builder().endpoint(hub.endpoint()).cacheDirectory(cache).progress(null);
  }

  private List<Path> cacheFiles() throws IOException {
    try (Stream<Path> s = Files.walk(cache)) {
      return s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".lock")).toList();
    }
  }

  @Test
  void firstDownloadFollowsTheRedirectVerifiesAndShowsProgress() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    HubDownloader d = downloader().progress(new PrintStream(err, true, StandardCharsets.UTF_8)).build();
    Path p = d.resolve(HfFile.parse(SPEC));
    assertThat(p).isEqualTo(cache.resolve("tpo/tiny-GGUF/main/tiny-q8.gguf"));
    assertThat(Files.readAllBytes(p)).isEqualTo(model);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("tiny-q8.gguf").contains("100%");
    assertThat(cacheFiles()).containsExactly(p); // no .part or .sha256 left
    // Second call: served from the cache, no request.
    int before = hub.bodiesServed.get();
    assertThat(d.resolve(HfFile.parse(SPEC))).isEqualTo(p);
    assertThat(hub.bodiesServed.get()).isEqualTo(before);
  }

  @Test
  void anInterruptedDownloadIsResumedWithARangeRequest() throws Exception {
    hub.dropConnection(1, model.length / 2);
    Path p = downloader().build().resolve(HfFile.parse(SPEC));
    assertThat(Files.readAllBytes(p)).isEqualTo(model);
    assertThat(hub.ranges).hasSize(2);
    assertThat(hub.ranges.get(0)).isEmpty();
    assertThat(hub.ranges.get(1)).startsWith("bytes=").isNotEqualTo("bytes=0-");
  }

  @Test
  void aPartialFileLeftByAnEarlierProcessIsResumed() throws Exception {
    HubDownloader d = downloader().build();
    Path target = d.cachePath(HfFile.parse(SPEC));
    Files.createDirectories(target.getParent());
    Files.write(HubDownloader.sibling(target, ".part"), java.util.Arrays.copyOf(model, 1000));
    assertThat(Files.readAllBytes(d.resolve(HfFile.parse(SPEC)))).isEqualTo(model);
    assertThat(hub.ranges).containsExactly("bytes=1000-");
  }

  @Test
  void corruptedBytesAreRejectedAndThePartialRemoved() throws Exception {
    hub.corrupt(1);
    assertThatThrownBy(() -> downloader().build().resolve(HfFile.parse(SPEC)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("corrupt")
        .hasMessageContaining(sha)
        .hasMessageContaining("removed");
    assertThat(cacheFiles()).isEmpty();
    // The next try downloads a good copy.
    assertThat(Files.readAllBytes(downloader().build().resolve(HfFile.parse(SPEC)))).isEqualTo(model);
  }

  @Test
  void offlineModeRefusesWithTheFileToPlaceByHand() throws Exception {
    HubDownloader d =
        HubDownloader.fromEnvironment(
            Map.of("TPO_CACHE", cache.toString(), "TPO_OFFLINE", "1",
                "TPO_HF_ENDPOINT", hub.endpoint().toString()));
    Path expected = cache.resolve("tpo/tiny-GGUF/main/tiny-q8.gguf");
    assertThatThrownBy(() -> d.resolve(HfFile.parse(SPEC)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("TPO_OFFLINE=1")
        .hasMessageContaining(expected.toString())
        .hasMessageContaining("tiny-q8.gguf");
    assertThat(hub.bodiesServed.get()).isZero();
    // Placed by hand: used without any request.
    Files.createDirectories(expected.getParent());
    Files.write(expected, model);
    assertThat(d.resolve(HfFile.parse(SPEC))).isEqualTo(expected);
  }

  @Test
  void theTokenIsSentAsBearerAndNeverPrinted() {
    hub.requireToken("hf_secret123");
    HubDownloader anonymous = downloader().build();
    assertThatThrownBy(() -> anonymous.resolve(HfFile.parse(SPEC)))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("HF_TOKEN");
    HubDownloader withToken =
        HubDownloader.fromEnvironment(
            Map.of("TPO_CACHE", cache.toString(), "HF_TOKEN", "hf_secret123",
                "TPO_HF_ENDPOINT", hub.endpoint().toString()));
    assertThat(withToken.resolve(HfFile.parse(SPEC))).exists();
    assertThat(hub.authorizations).contains("Bearer hf_secret123");
    assertThat(withToken.toString()).doesNotContain("hf_secret123");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> downloader().build().resolve(HfFile.parse("hf:tpo/tiny-GGUF/nope.gguf")))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("nope.gguf")
        .hasMessageContaining("tpo/tiny-GGUF");
  }

  @Test
  void aFullDiskFailsClearlyAndLeavesNothingHalfWritten() throws Exception {
    HubDownloader d =
        downloader()
            .partWriter(
                (part, append) ->
                    new FilterOutputStream(Files.newOutputStream(part)) {
                      private long written;

                      @Override
                      public void write(byte[] b, int off, int len) throws IOException {
                        if (written + len > 100_000) {
                          throw new IOException("No space left on device");
                        }
                        written += len;
                        out.write(b, off, len);
                      }
                    })
            .build();
    assertThatThrownBy(() -> d.resolve(HfFile.parse(SPEC)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("No space left on device")
        .hasMessageContaining("TPO_CACHE")
        .hasMessageContaining(".part");
    assertThat(cacheFiles()).isEmpty();
  }

  @Test
  void twoThreadsDownloadOnce() throws Exception {
    hub.slow(5);
    HubDownloader d = downloader().build();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Callable<Path> task = () -> d.resolve(HfFile.parse(SPEC));
      List<Future<Path>> fs = List.of(pool.submit(task), pool.submit(task));
      for (Future<Path> f : fs) {
        assertThat(Files.readAllBytes(f.get(60, TimeUnit.SECONDS))).isEqualTo(model);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(hub.bodiesServed.get()).isEqualTo(1);
    assertThat(Hashing.sha256().hashBytes(Files.readAllBytes(cacheFiles().get(0))).toString())
        .isEqualTo(sha);
  }

  @Test
  void twoProcessesDownloadOnceThroughTheFileLock() throws Exception {
    hub.slow(20);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> procs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      procs.add(
          new ProcessBuilder(
                  java, "-cp", System.getProperty("java.class.path"),
                  DownloadMain.class.getName(), hub.endpoint().toString(), cache.toString(), SPEC)
              .redirectErrorStream(true)
              .start());
    }
    for (Process p : procs) {
      assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).contains("tiny-q8.gguf");
    }
    assertThat(hub.bodiesServed.get()).isEqualTo(1);
    assertThat(cacheFiles()).hasSize(1);
    assertThat(Files.readAllBytes(cacheFiles().get(0))).isEqualTo(model);
  }

  @Test
  void cacheFolderFollowsThePlatform() {
    assertThat(ModelCache.directory(Map.of("TPO_CACHE", "/x/c"), "Linux", "/home/u"))
        .isEqualTo(Path.of("/x/c"));
    assertThat(ModelCache.directory(Map.of(), "Linux", "/home/u"))
        .isEqualTo(Path.of("/home/u/.cache/tpo/models"));
    assertThat(ModelCache.directory(Map.of(), "Mac OS X", "/Users/u"))
        .isEqualTo(Path.of("/Users/u/Library/Caches/tpo/models"));
    assertThat(ModelCache.directory(Map.of("LOCALAPPDATA", "C:/Users/u/AppData/Local"), "Windows 11", "C:/Users/u"))
        .isEqualTo(Path.of("C:/Users/u/AppData/Local", "tpo", "models"));
  }

  @Test
  void specsParse() {
    assertThat(HfFile.parse("hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf@v1"))
        .isEqualTo(new HfFile("Qwen", "Qwen2.5-0.5B-Instruct-GGUF", "qwen2.5-0.5b-instruct-q4_k_m.gguf", "v1"));
    assertThat(HfFile.parse("hf:o/r/sub/f.gguf").file()).isEqualTo("sub/f.gguf");
    assertThat(HfFile.parse("hf:o/r/f.gguf").revision()).isEqualTo("main");
    assertThatThrownBy(() -> HfFile.parse("hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF")
        .hasMessageContaining("names no file")
        .hasMessageContaining("hf:OWNER/REPO/FILE.gguf");
    assertThatThrownBy(() -> HfFile.parse("hf:o/r/"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("names no file");
  }

}
