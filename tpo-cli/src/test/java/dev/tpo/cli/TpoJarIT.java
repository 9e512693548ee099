package dev.tpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.cli.report.Chromium;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the real {@code target/tpo.jar}, started as a separate process with {@code java
 * -jar}, against the simulated OpenAI-compatible server and reward endpoint on loopback.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TpoJarIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String API_KEY = "sk-it-secret-7c1f9a";
  private static final Path JAR = Path.of("target", "tpo.jar").toAbsolutePath();

  @TempDir static Path dir;
  private static SimulatedOpenAiServer server;
  private static Path data;

  /** What a finished process left. */
  record Run(int exit, String stdout, String stderr) {}

  @BeforeAll
  static void startServer() throws IOException {
    assertThat(JAR).as("the CLI jar; build it with mvn -B -DskipTests package").exists();
    server = SimulatedOpenAiServer.builder().models("sim-model").requireApiKey(API_KEY)
        .latency(Duration.ofMillis(5)).start();
    data = dir.resolve("prompts.jsonl");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      String prompt = i == 0 ? "Explain <script>alert('x')</script> & why HTML is escaped"
          : "Question number " + i + ": how do I write clean Java?";
      sb.append(JSON.writeValueAsString(Map.of("id", "q" + i, "prompt", prompt))).append('\n');
    }
    Files.writeString(data, sb.toString());
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static List<String> runArgs(Path out, Path data, String... extra) {
    List<String> args = new ArrayList<>(List.of("run", "--data", data.toString(),
        "--base-url", server.openAiBaseUrl(), "--reward", "vllm+http://127.0.0.1:" + server.port(),
        "--samples", "3", "--iterations", "2", "--concurrency", "3", "--out", out.toString(),
        "--progress", "log", "--progress-interval", "1"));
    args.addAll(Arrays.asList(extra));
    return args;
  }

  private static Process start(List<String> args, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(JAR.toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(Path.of(log + ".out").toFile()).redirectError(log.toFile());
    pb.environment().put("TPO_API_KEY", API_KEY);
    return pb.start();
  }

  private static Run run(List<String> args, String name) throws Exception {
    Path log = dir.resolve(name + ".log");
    Process p = start(args, log);
    boolean done = p.waitFor(180, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly().waitFor();
    }
    assertThat(done).as("tpo %s finished", args).isTrue();
    return new Run(p.exitValue(), Files.readString(Path.of(log + ".out")), Files.readString(log));
  }

  private static List<JsonNode> lines(Path results) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(results, StandardCharsets.UTF_8)) {
      out.add(JSON.readTree(l));
    }
    return out;
  }

  @Test
  @Order(1)
  void runWritesACompleteValidResultsFileAndASecondRunDoesNothingNew() throws Exception {
    Path out = dir.resolve("results.jsonl");
    Path traces = dir.resolve("traces");
    Run first = run(runArgs(out, data, "--trace-dir", traces.toString()), "first");
    assertThat(first.exit()).as(first.stderr()).isEqualTo(0);
    assertThat(first.stderr()).contains("6 done now").contains("mean score over 6 prompts");

    List<JsonNode> results = lines(out);
    assertThat(results).hasSize(6);
    assertThat(results.stream().map(r -> r.get("id").asText()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("q0", "q1", "q2", "q3", "q4", "q5");
    for (JsonNode r : results) {
      assertThat(r.has("error")).as(r.toString()).isFalse();
      assertThat(r.get("prompt").asText()).isNotBlank();
      assertThat(r.get("answer").asText()).isNotBlank();
      assertThat(r.get("score").isNumber()).isTrue();
      assertThat(r.get("pool").size()).isBetween(3, 9);
      double best = Double.NEGATIVE_INFINITY;
      for (JsonNode c : r.get("pool")) {
        assertThat(c.get("text").isTextual()).isTrue();
        assertThat(c.get("round").asInt()).isBetween(0, 2);
        best = Math.max(best, c.get("score").asDouble());
      }
      assertThat(r.get("score").asDouble()).isEqualTo(best);
      assertThat(r.get("usage").get("requests").asLong()).isEqualTo(1 + 3 * 2);
      assertThat(r.get("usage").get("prompt_tokens").asLong()).isPositive();
      assertThat(r.get("usage").get("completion_tokens").asLong()).isPositive();
      assertThat(r.get("elapsed_ms").asLong()).isNotNegative();
      assertThat(r.get("model").asText()).isEqualTo("sim-model");
      assertThat(traces.resolve(r.get("id").asText() + ".json")).exists();
    }

    byte[] before = Files.readAllBytes(out);
    long chatBefore = server.stats().requests(SimulatedOpenAiServer.CHAT_PATH);
    Run second = run(runArgs(out, data, "--trace-dir", traces.toString()), "second");
    assertThat(second.exit()).as(second.stderr()).isEqualTo(0);
    assertThat(second.stderr()).contains("nothing to do");
    assertThat(Files.readAllBytes(out)).isEqualTo(before);
    assertThat(server.stats().requests(SimulatedOpenAiServer.CHAT_PATH)).isEqualTo(chatBefore);

    assertNoSecret(Stream.of(first.stdout(), first.stderr(), second.stdout(), second.stderr()));
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f, StandardCharsets.ISO_8859_1)).as(f.toString())
            .doesNotContain(API_KEY);
      }
    }
  }

  @Test
  @Order(2)
  void reportOfTheRunRendersInHeadlessChromium() throws Exception {
    Path html = Path.of("target", "report.html").toAbsolutePath();
    Run report = run(List.of("report", "--results", dir.resolve("results.jsonl").toString(),
        "--trace-dir", dir.resolve("traces").toString(), "-o", html.toString()), "report");
    assertThat(report.exit()).as(report.stderr()).isEqualTo(0);
    assertThat(report.stderr()).contains("6 prompts (0 failed, 6 with traces)");
    String page = Files.readString(html);
    assertThat(page).doesNotContain("<script>alert").doesNotContain(API_KEY);

    Chromium chromium = Chromium.requireInstalled();
    String dom = chromium.renderReport(html, Path.of("target", "report.png").toAbsolutePath(), dir);
    assertThat(dom).contains("Prompt 1 · q");
    assertThat(dom).contains("Critique (textual loss)").contains("Textual gradient")
        .contains("Chosen").contains("Rejected");
    assertThat(dom).doesNotContain("<script>alert");
  }

  @Test
  @Order(3)
  void aRunKilledMidwayThenRunAgainEndsWithEveryPromptExactlyOnce() throws Exception {
    Path many = dir.resolve("many.json");
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      prompts.add("Kill test prompt " + i + " about concurrency");
    }
    Files.writeString(many, JSON.writeValueAsString(prompts));
    Path out = dir.resolve("killed.jsonl");
    server.setLatency(Duration.ofMillis(60));
    try {
      Process p = start(runArgs(out, many, "--concurrency", "2"), dir.resolve("killed.log"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline && p.isAlive()
          && (!Files.exists(out) || Files.readAllLines(out).size() < 3)) {
        Thread.sleep(50);
      }
      assertThat(p.isAlive()).as("the run was still going when killed: %s",
          Files.readString(dir.resolve("killed.log"))).isTrue();
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      long afterKill = Files.readString(out).chars().filter(c -> c == '\n').count();
      assertThat(afterKill).isBetween(3L, 15L);
    } finally {
      server.setLatency(Duration.ofMillis(5));
    }
    Run again = run(runArgs(out, many, "--concurrency", "4"), "rerun");
    assertThat(again.exit()).as(again.stderr()).isEqualTo(0);
    List<JsonNode> results = lines(out);
    assertThat(results).hasSize(16).noneMatch(r -> r.has("error"));
    Map<String, Integer> count = new HashMap<>();
    results.forEach(r -> count.merge(r.get("prompt").asText(), 1, Integer::sum));
    assertThat(count).hasSize(16).allSatisfy((prompt, n) -> assertThat(n).isEqualTo(1));
  }

  @Test
  @Order(4)
  void aRunStoppedWithSigtermKeepsOnlyCompleteLinesAndSaysHowToFinish() throws Exception {
    Path many = dir.resolve("term.json");
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      prompts.add("Termination test prompt " + i);
    }
    Files.writeString(many, JSON.writeValueAsString(prompts));
    Path out = dir.resolve("term.jsonl");
    Path log = dir.resolve("term.log");
    server.setLatency(Duration.ofMillis(60));
    try {
      Process p = start(runArgs(out, many, "--concurrency", "2"), log);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline && p.isAlive()
          && (!Files.exists(out) || Files.readAllLines(out).size() < 2)) {
        Thread.sleep(50);
      }
      assertThat(p.isAlive()).as("still running: %s", Files.readString(log)).isTrue();
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isNotZero();
    } finally {
      server.setLatency(Duration.ofMillis(5));
    }
    assertThat(Files.readString(log)).contains("interrupted; finished prompts are kept in")
        .contains("Run the same command again");
    String text = Files.readString(out);
    assertThat(text).endsWith("\n");
    for (JsonNode r : lines(out)) {
      assertThat(r.has("error")).as(r.toString()).isFalse();
    }
    Run again = run(runArgs(out, many), "term-rerun");
    assertThat(again.exit()).as(again.stderr()).isEqualTo(0);
    assertThat(lines(out)).hasSize(12);
  }

  @Test
  @Order(5)
  void aPromptTooLongForTheContextGetsAnErrorLineAndTheRunGoesOn() throws Exception {
    Path mixed = dir.resolve("mixed.jsonl");
    Files.writeString(mixed, JSON.writeValueAsString(Map.of("id", "short", "prompt", "Hi there"))
        + "\n" + JSON.writeValueAsString(Map.of("id", "huge", "prompt", "word ".repeat(12_000)))
        + "\n");
    Path out = dir.resolve("mixed-results.jsonl");
    Run r = run(runArgs(out, mixed, "--max-tokens-response", "256", "--max-tokens-all", "4096"),
        "mixed");
    assertThat(r.exit()).as(r.stderr()).isEqualTo(ExitCodes.PROMPTS_FAILED);
    Map<String, JsonNode> byId = new HashMap<>();
    lines(out).forEach(l -> byId.put(l.get("id").asText(), l));
    assertThat(byId).containsOnlyKeys("short", "huge");
    assertThat(byId.get("short").has("answer")).isTrue();
    assertThat(byId.get("huge").get("error").asText()).contains("4096");
    assertThat(r.stderr()).contains("1 failed");
  }

  @Test
  @Order(6)
  void serverDownExitsNonZeroWithinSecondsNamingTheUrl() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/v1";
    List<String> args = List.of("run", "--data", data.toString(), "--base-url", url,
        "--out", dir.resolve("down.jsonl").toString());
    Path log = dir.resolve("down.log");
    Process p = start(args, log);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited within seconds").isTrue();
    String err = Files.readString(log);
    assertThat(p.exitValue()).as(err).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(err).contains(url).contains("cannot reach the policy server");
    assertThat(err).doesNotContain(API_KEY).doesNotContain("\tat ");
  }

  @Test
  @Order(7)
  void wrongModelNameStopsTheRunNamingTheServedModels() throws Exception {
    Run r = run(runArgs(dir.resolve("wrong.jsonl"), data, "--model", "no-such-model"), "wrong");
    assertThat(r.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.stderr()).contains("no-such-model").contains("sim-model");
  }

  @Test
  @Order(8)
  void badRewardSpecStopsTheRunBeforeAnyPrompt() throws Exception {
    List<String> args = new ArrayList<>(runArgs(dir.resolve("badreward.jsonl"), data));
    int i = args.indexOf("--reward");
    args.set(i + 1, "nosuch://reward");
    Run r = run(args, "badreward");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("nosuch://reward");
    assertThat(Files.exists(dir.resolve("badreward.jsonl"))
        ? Files.readString(dir.resolve("badreward.jsonl")) : "").isEmpty();
  }

  private static void assertNoSecret(Stream<String> texts) {
    texts.forEach(t -> assertThat(t).doesNotContain(API_KEY));
  }
}
