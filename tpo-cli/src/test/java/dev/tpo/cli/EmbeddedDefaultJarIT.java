package dev.tpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.llamacpp.LlamaCppModels;
import dev.tpo.llamacpp.testing.FakeHub;
import dev.tpo.llamacpp.testing.TinyGguf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's first command, {@code tpo run --data data/sample.json} with no server configured, run
 * as the packaged jar in its own process: it downloads the embedded default model from the hub at
 * {@code TPO_HF_ENDPOINT} (a {@link FakeHub} holding the tiny random-weight model under the
 * default's path) into {@code TPO_CACHE}, says which model it uses and where it is cached, and
 * runs to the end; without a reachable hub it stops with a message naming what to set and the
 * file to place by hand.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class EmbeddedDefaultJarIT {
  private static final Path JAR = Path.of("target", "tpo.jar").toAbsolutePath();
  private static final Path SAMPLE = Path.of("..", "data", "sample.json").toAbsolutePath();
  private static final String DEFAULT_FILE =
      "Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf";

  @TempDir Path dir;

  /** What a finished process left. */
  record Run(int exit, String stderr) {}

  private Run tpo(Map<String, String> env, String name, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        JAR.toString()));
    cmd.addAll(List.of(args));
    Path log = dir.resolve(name + ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(log.toFile());
    for (String v : List.of("TPO_BASE_URL", "TPO_POLICY", "TPO_API_KEY", "TPO_REWARD",
        "TPO_OFFLINE", "TPO_HF_ENDPOINT", "TPO_CACHE", "HF_TOKEN")) {
      pb.environment().remove(v);
    }
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("tpo did not finish in 300 s: " + Files.readString(log));
    }
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  @Test
  void withNoServerConfiguredTheRunDownloadsTheEmbeddedModelAndRunsToTheEnd() throws Exception {
    assertThat(JAR).as("the CLI jar; build it with mvn -B -DskipTests package").exists();
    Path cache = dir.resolve("cache");
    Path out = dir.resolve("results.jsonl");
    try (FakeHub hub = new FakeHub()) {
      hub.put(DEFAULT_FILE, new TinyGguf().bytes());
      Run r = tpo(Map.of("TPO_HF_ENDPOINT", hub.endpoint().toString(),
          "TPO_CACHE", cache.toString()), "embedded",
          "run", "--data", SAMPLE.toString(), "--samples", "2", "--iterations", "1",
          "--max-tokens-response", "16", "--max-tokens-all", "4096", "--concurrency", "5",
          "--progress", "off",
          "--out", out.toString());
      assertThat(r.exit()).as(r.stderr()).isZero();
      Path cached = cache.resolve("Qwen/Qwen2.5-0.5B-Instruct-GGUF/main");
      assertThat(r.stderr()).contains(LlamaCppModels.DEFAULT_MODEL_SPEC)
          .contains(cached.toString());
      assertThat(cached.resolve("qwen2.5-0.5b-instruct-q4_k_m.gguf")).isRegularFile();
      int prompts = new ObjectMapper().readTree(SAMPLE.toFile()).size();
      assertThat(Files.readAllLines(out)).hasSize(prompts)
          .allSatisfy(l -> assertThat(l).doesNotContain("\"error\""));
    }
  }

  @Test
  void withoutAReachableHubTheRunStopsNamingWhatToSetAndTheFileToPlace() throws Exception {
    Path cache = dir.resolve("cache");
    Run down = tpo(Map.of("TPO_HF_ENDPOINT", "http://127.0.0.1:9", "TPO_CACHE",
        cache.toString()), "down", "run", "--data", SAMPLE.toString(), "--progress", "off",
        "--out", dir.resolve("a.jsonl").toString());
    assertThat(down.exit()).as(down.stderr()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(down.stderr()).contains("TPO_HF_ENDPOINT").contains("TPO_OFFLINE")
        .contains(cache.resolve("Qwen/Qwen2.5-0.5B-Instruct-GGUF/main").toString())
        .contains("qwen2.5-0.5b-instruct-q4_k_m.gguf");
    assertThat(dir.resolve("a.jsonl")).doesNotExist();

    Run offline = tpo(Map.of("TPO_OFFLINE", "1", "TPO_CACHE", cache.toString()), "offline",
        "run", "--data", SAMPLE.toString(), "--progress", "off",
        "--out", dir.resolve("b.jsonl").toString());
    assertThat(offline.exit()).as(offline.stderr()).isEqualTo(ExitCodes.USAGE);
    assertThat(offline.stderr()).contains("TPO_OFFLINE=1")
        .contains("qwen2.5-0.5b-instruct-q4_k_m.gguf").contains("by hand");
  }
}
