package dev.tpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.cli.run.TpoRunnerFactory;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tpo run --base-url A --base-url B}: runs spread over both simulated servers, one of them
 * is killed mid-run, and every prompt still ends with exactly one successful result line.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MultiServerRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private final List<SimulatedOpenAiServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(SimulatedOpenAiServer::close);
  }

  private static int tpo(Map<String, String> env, StringWriter err, String... args) {
    CommandLine cl = TpoCli.commandLine(new TpoRunnerFactory(), env);
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    return cl.execute(args);
  }

  private Path prompts(int count) throws IOException {
    Path data = dir.resolve("prompts.jsonl");
    Files.write(data, IntStream.range(0, count)
        .mapToObj(i -> "{\"id\":\"p" + i + "\",\"prompt\":\"question number " + i + "\"}")
        .toList(), StandardCharsets.UTF_8);
    return data;
  }

  @Test
  void spreadsRunsOverBothServersAndSurvivesOneKilledMidRun() throws Exception {
    for (int i = 0; i < 2; i++) {
      servers.add(SimulatedOpenAiServer.builder().latency(Duration.ofMillis(60)).start());
    }
    SimulatedOpenAiServer a = servers.get(0);
    SimulatedOpenAiServer b = servers.get(1);
    Path data = prompts(40);
    Path out = dir.resolve("results.jsonl");
    Path traces = dir.resolve("traces");

    Thread killer = new Thread(() -> {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (b.stats().requests(SimulatedOpenAiServer.CHAT_PATH) < 30
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      b.close();
    });
    killer.start();
    StringWriter err = new StringWriter();
    int code = tpo(Map.of(), err, "run", "--data", data.toString(),
        "--base-url", a.openAiBaseUrl(), "--base-url", b.openAiBaseUrl(),
        "--reward", "vllm+" + a.baseUrl() + "?model=sim-reward",
        "--reward", "vllm+" + b.baseUrl() + "?model=sim-reward",
        "--samples", "2", "--iterations", "1", "--concurrency", "8",
        "--out", out.toString(), "--trace-dir", traces.toString(), "--progress", "off",
        "--timeout", "10");
    killer.join();

    assertThat(code).as(err.toString()).isEqualTo(0);
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      lines.add(JSON.readTree(l));
    }
    assertThat(lines).hasSize(40);
    assertThat(lines).extracting(l -> l.path("id").asText()).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, 40).mapToObj(i -> "p" + i).toList());
    assertThat(lines).allSatisfy(l -> assertThat(l.path("error").isMissingNode()
        || l.path("error").isNull()).as(l.toString()).isTrue());

    // the traces name the server of every request: runs on both, one server per run
    Set<String> used = new HashSet<>();
    try (var files = Files.list(traces)) {
      for (Path f : files.toList()) {
        Set<String> models = new HashSet<>();
        collectModels(JSON.readTree(f.toFile()), models);
        assertThat(models).as(f.toString()).isNotEmpty();
        used.addAll(models);
      }
    }
    assertThat(used.stream().map(m -> m.substring(m.indexOf('@') + 1))
        .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(a.openAiBaseUrl(), b.openAiBaseUrl());
    assertThat(b.stats().requests(SimulatedOpenAiServer.CHAT_PATH)).isGreaterThanOrEqualTo(30);
    assertThat(a.stats().requests(SimulatedOpenAiServer.CHAT_PATH)).isPositive();
  }

  private static void collectModels(JsonNode node, Set<String> into) {
    if (node.isObject()) {
      JsonNode model = node.get("model");
      if (model != null && model.isTextual() && model.asText().contains("@")) {
        into.add(model.asText());
      }
      node.fields().forEachRemaining(e -> collectModels(e.getValue(), into));
    } else if (node.isArray()) {
      StreamSupport.stream(node.spliterator(), false).forEach(n -> collectModels(n, into));
    }
  }

  @Test
  void readsSeveralServersFromTheEnvironment() throws Exception {
    RunOptions options = new RunOptions();
    new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--data", "x.json");
    var config = options.config(Map.of(
        "TPO_BASE_URL", "http://a:8000/v1, http://b:8000/v1",
        "TPO_REWARD", "vllm+http://a:8001,vllm+http://b:8001"));
    assertThat(config.baseUrls()).containsExactly("http://a:8000/v1", "http://b:8000/v1");
    assertThat(config.rewards()).containsExactly("vllm+http://a:8001", "vllm+http://b:8001");

    RunOptions flags = new RunOptions();
    new CommandLine(flags).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--data", "x.json", "--base-url", "http://c:1/v1");
    assertThat(flags.config(Map.of("TPO_BASE_URL", "http://a:8000/v1")).baseUrls())
        .as("the option wins over the environment").containsExactly("http://c:1/v1");
    assertThat(flags.config(Map.of()).rewards()).containsExactly("judge");

    RunOptions twice = new RunOptions();
    new CommandLine(twice).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--data", "x.json", "--base-url", "http://c:1/v1",
        "--base-url", "http://c:1/v1");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> twice.config(Map.of()))
        .hasMessageContaining("--base-url was given the same value twice");
  }

  @Test
  void withACapAndSpilloverEveryPromptIsDoneOnceOnBothServers() throws Exception {
    for (int i = 0; i < 3; i++) {
      servers.add(SimulatedOpenAiServer.builder().latency(Duration.ofMillis(60)).start());
    }
    SimulatedOpenAiServer a = servers.get(0);
    SimulatedOpenAiServer b = servers.get(1);
    SimulatedOpenAiServer reward = servers.get(2);
    Path data = prompts(12);
    Path out = dir.resolve("results.jsonl");
    Path traces = dir.resolve("traces");

    StringWriter err = new StringWriter();
    int code = tpo(Map.of(), err, "run", "--data", data.toString(),
        "--base-url", a.openAiBaseUrl(), "--base-url", b.openAiBaseUrl(),
        "--reward", "vllm+" + reward.baseUrl() + "?model=sim-reward",
        "--samples", "2", "--iterations", "1", "--concurrency", "4",
        "--max-in-flight-per-server", "1", "--spill-after-queued", "0",
        "--out", out.toString(), "--trace-dir", traces.toString(), "--progress", "off",
        "--timeout", "10");

    assertThat(code).as(err.toString()).isEqualTo(0);
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      lines.add(JSON.readTree(l));
    }
    assertThat(lines).extracting(l -> l.path("id").asText())
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 12).mapToObj(i -> "p" + i)
            .toList());
    // both servers served the runs; that the cap holds and that a run moves is shown in
    // ServerSetBalancingTest, from the balancer's own counts (a server counts a request in
    // flight until its handler returns, after the client already has the answer, so its own
    // peak can exceed the client's cap by one)
    assertThat(a.stats().requests(SimulatedOpenAiServer.CHAT_PATH)).isPositive();
    assertThat(b.stats().requests(SimulatedOpenAiServer.CHAT_PATH)).isPositive();
    assertThat(lines).allSatisfy(l -> assertThat(l.path("error").isMissingNode()
        || l.path("error").isNull()).as(l.toString()).isTrue());
  }

  @Test
  void theBalancingOptionsNeedSeveralServersAndTheirRanges() throws Exception {
    RunOptions one = new RunOptions();
    new CommandLine(one).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--data", "x.json", "--base-url", "http://a:1/v1",
        "--spill-after-queued", "2");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> one.config(Map.of()))
        .hasMessageContaining("--spill-after-queued 2 shares requests among several policy"
            + " servers, but the run has one")
        .hasMessageContaining("give --base-url once per server");

    RunOptions zero = new RunOptions();
    new CommandLine(zero).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--data", "x.json", "--base-url", "http://a:1/v1",
        "--base-url", "http://b:1/v1", "--max-in-flight-per-server", "0");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> zero.config(Map.of()))
        .hasMessageContaining("--max-in-flight-per-server must be at least 1, got 0");

    RunOptions negative = new RunOptions();
    new CommandLine(negative).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--data", "x.json", "--base-url", "http://a:1/v1",
        "--base-url", "http://b:1/v1", "--spill-after-queued", "-1");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> negative.config(Map.of()))
        .hasMessageContaining("--spill-after-queued must be at least 0, got -1");

    RunOptions both = new RunOptions();
    new CommandLine(both).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--data", "x.json", "--base-url", "http://a:1/v1",
        "--base-url", "http://b:1/v1", "--max-in-flight-per-server", "8",
        "--spill-after-queued", "2");
    assertThat(both.config(Map.of()).balancing())
        .isEqualTo(new dev.tpo.cli.run.RunConfig.Balancing(8, 2));
    RunOptions none = new RunOptions();
    new CommandLine(none).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--data", "x.json", "--base-url", "http://a:1/v1");
    assertThat(none.config(Map.of()).balancing())
        .isEqualTo(dev.tpo.cli.run.RunConfig.Balancing.DEFAULT);
  }
}
