package dev.tpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.TpoSettings;
import dev.tpo.core.error.ConnectionFailedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(60)
class RunCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private final FakeRunnerFactory factory = new FakeRunnerFactory();
  private StringWriter err;
  private Path data;

  @BeforeEach
  void writeData() throws IOException {
    data = dir.resolve("prompts.json");
    Files.writeString(data, "[\"one\", \"two <script>alert(1)</script>\", \"three\"]");
  }

  private int tpo(Map<String, String> env, String... args) {
    err = new StringWriter();
    CommandLine cl = TpoCli.commandLine(factory, env);
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    return cl.execute(args);
  }

  private int tpo(String... args) {
    return tpo(Map.of(), args);
  }

  private List<JsonNode> results(Path f) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      out.add(JSON.readTree(l));
    }
    return out;
  }

  @Test
  void referenceAliasesSetTheSameOptions() {
    int code = tpo("run", "--data_path", data.toString(), "--sample_size", "3",
        "--max_iterations", "1", "--num_threads", "2", "--tpo_mode", "REVISION",
        "--server_model", "m1", "--ip", "10.0.0.5", "--port", "9001", "--top_p", "0.9",
        "--max_tokens_response", "100", "--max_tokens_all", "1000", "--progress", "off",
        "--out", dir.resolve("r.jsonl").toString());
    assertThat(code).as(err.toString()).isEqualTo(0);
    var c = factory.config;
    assertThat(c.samples()).isEqualTo(3);
    assertThat(c.iterations()).isEqualTo(1);
    assertThat(c.concurrency()).isEqualTo(2);
    assertThat(c.mode()).isEqualTo("revision");
    assertThat(c.model()).hasValue("m1");
    assertThat(c.baseUrl()).isEqualTo("http://10.0.0.5:9001/v1");
    assertThat(c.topP()).isEqualTo(0.9);
    assertThat(c.maxTokensResponse()).isEqualTo(100);
    assertThat(c.maxTokensAll()).isEqualTo(1000);
  }

  @Test
  void defaultsMatchTheReference() {
    int code = tpo("run", "--data", data.toString(), "--progress", "off",
        "--out", dir.resolve("r.jsonl").toString());
    assertThat(code).as(err.toString()).isEqualTo(0);
    var c = factory.config;
    // no server configured: the embedded in-process model (PolicyOptionTest has the rest)
    assertThat(c.policy()).hasValue("embedded");
    assertThat(c.baseUrls()).isEmpty();
    assertThat(c.samples()).isEqualTo(5);
    assertThat(c.iterations()).isEqualTo(2);
    assertThat(c.temperature()).isEqualTo(0.7);
    assertThat(c.topP()).isEqualTo(0.95);
    assertThat(c.seed()).isEqualTo(7);
    assertThat(c.concurrency()).isEqualTo(4);
    assertThat(c.maxTokensResponse()).isEqualTo(2048);
    assertThat(c.maxTokensAll()).isEqualTo(8192);
    assertThat(c.reward()).isEqualTo("judge");
    assertThat(c.mode()).isEqualTo("tpo");
    assertThat(c.model()).isEmpty();
  }

  @Test
  void settingsAreTheLibrarysTypeWithItsDefaultsAndItsNamesAsAliases() {
    int code = tpo("run", "--data", data.toString(), "--progress", "off", "--max-tokens", "300",
        "--max-context-tokens", "3000", "--seed", "11", "--out", dir.resolve("r.jsonl").toString());
    assertThat(code).as(err.toString()).isEqualTo(0);
    assertThat(factory.config.settings()).isEqualTo(TpoSettings.DEFAULTS.overrideWith(
        TpoSettings.builder().maxTokens(300).maxContextTokens(3000).seed(11L).build()));
  }

  @Test
  void earlyStopOptionsReachTheSettings() {
    int code = tpo("run", "--data", data.toString(), "--progress", "off",
        "--early-stop-rounds", "2", "--early-stop-margin", "0.5", "--stop-at-max-score",
        "--out", dir.resolve("r.jsonl").toString());
    assertThat(code).as(err.toString()).isEqualTo(0);
    TpoSettings s = factory.config.settings();
    assertThat(s.earlyStopRounds()).isEqualTo(2);
    assertThat(s.earlyStopMargin()).isEqualTo(0.5);
    assertThat(s.stopAtMaxScore()).isTrue();
    assertThat(s.promptLayout()).isEqualTo(dev.tpo.PromptLayout.REFERENCE);

    int shared = tpo("run", "--data", data.toString(), "--progress", "off",
        "--prompt-layout", "prefix-shared", "--out", dir.resolve("r3.jsonl").toString());
    assertThat(shared).as(err.toString()).isEqualTo(0);
    assertThat(factory.config.settings().promptLayout())
        .isEqualTo(dev.tpo.PromptLayout.PREFIX_SHARED);

    int bad = tpo("run", "--data", data.toString(), "--progress", "off",
        "--early-stop-rounds", "-1", "--out", dir.resolve("r2.jsonl").toString());
    assertThat(bad).isNotEqualTo(0);
    assertThat(err.toString()).contains("earlyStopRounds");
  }

  @Test
  void apiKeyComesFromTheEnvironmentAndIsNeverShown() throws IOException {
    Path out = dir.resolve("r.jsonl");
    factory.failFor.add("three");
    int code = tpo(Map.of("TPO_API_KEY", "sk-secret-123"), "run", "--data", data.toString(),
        "--progress", "off", "--out", out.toString());
    assertThat(code).isEqualTo(ExitCodes.PROMPTS_FAILED);
    assertThat(factory.config.apiKey()).hasValue("sk-secret-123");
    assertThat(factory.config.toString()).doesNotContain("sk-secret-123");
    assertThat(err.toString()).doesNotContain("sk-secret-123");
    assertThat(Files.readString(out)).doesNotContain("sk-secret-123");
    tpo(Map.of("TPO_API_KEY", "from-env"), "run", "--data", data.toString(), "--api-key",
        "from-flag", "--progress", "off", "--out", dir.resolve("r2.jsonl").toString());
    assertThat(factory.config.apiKey()).hasValue("from-flag");
  }

  @Test
  void rewardApiKeyHasItsOwnOptionAndEnvironmentVariableAndIsNeverShown() {
    tpo(Map.of("TPO_API_KEY", "sk-policy", "TPO_REWARD_API_KEY", "sk-reward-env"), "run",
        "--data", data.toString(), "--progress", "off", "--out", dir.resolve("a.jsonl").toString());
    assertThat(factory.config.apiKey()).hasValue("sk-policy");
    assertThat(factory.config.rewardApiKey()).hasValue("sk-reward-env");
    assertThat(factory.config.toString()).doesNotContain("sk-policy").doesNotContain("sk-reward");
    tpo(Map.of("TPO_REWARD_API_KEY", "sk-reward-env"), "run", "--data", data.toString(),
        "--reward-api-key", "sk-reward-flag", "--progress", "off",
        "--out", dir.resolve("b.jsonl").toString());
    assertThat(factory.config.rewardApiKey()).hasValue("sk-reward-flag");
    tpo(Map.of("TPO_API_KEY", "sk-policy"), "run", "--data", data.toString(), "--progress", "off",
        "--out", dir.resolve("c.jsonl").toString());
    assertThat(factory.config.rewardApiKey()).isEmpty();
    assertThat(err.toString()).doesNotContain("sk-policy").doesNotContain("sk-reward");
  }

  @Test
  void badValuesExitWithUsageAndNameTheOption() {
    String[][] cases = {
        {"--samples", "0", "--samples must be at least 1, got 0"},
        {"--iterations", "-1", "--iterations must be at least 0, got -1"},
        {"--mode", "dpo", "--mode must be tpo, revision or bon, got 'dpo'"},
        {"--temperature", "3", "--temperature must be between 0 and 2"},
        {"--top-p", "0", "--top-p must be greater than 0"},
        {"--concurrency", "0", "--concurrency must be at least 1"},
        {"--max-tokens-response", "9000", "must be less than --max-tokens-all"},
        {"--base-url", "localhost:8000", "--base-url must start with http://"},
        {"--port", "70000", "--port must be between 1 and 65535"},
        {"--max-retries", "21", "--max-retries must be at most 20, got 21"},
    };
    for (String[] c : cases) {
      int code = tpo("run", "--data", data.toString(), c[0], c[1], "--progress", "off",
          "--out", dir.resolve("x.jsonl").toString());
      assertThat(code).as(c[0]).isEqualTo(ExitCodes.USAGE);
      assertThat(err.toString()).as(c[0]).contains(c[2]);
    }
    assertThat(factory.runs.get()).isZero();
  }

  @Test
  void baseUrlAndIpTogetherAreRefused() {
    int code = tpo("run", "--data", data.toString(), "--base-url", "http://h:1/v1", "--ip", "h");
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("give one of them");
  }

  @Test
  void badDataFileExitsWithUsageNamingFileAndLine() throws IOException {
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"prompt\": \"a\"}\n{\"id\": 1, \"text\": \"b\"}\n");
    int code = tpo("run", "--data", bad.toString(), "--progress", "off");
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("bad.jsonl:2").contains("no \"prompt\"");
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertThat(tpo("run", "--data", data.toString(), "--bogus")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--bogus");
  }

  @Test
  void runWritesOneLinePerPromptAndASecondRunDoesNothing() throws IOException {
    Path out = dir.resolve("r.jsonl");
    Path traces = dir.resolve("traces");
    int code = tpo("run", "--data", data.toString(), "--progress", "log", "--out", out.toString(),
        "--trace-dir", traces.toString(), "--samples", "2", "--iterations", "1");
    assertThat(code).as(err.toString()).isEqualTo(0);
    List<JsonNode> lines = results(out);
    assertThat(lines).hasSize(3);
    JsonNode first = lines.stream().filter(l -> l.get("prompt").asText().equals("one"))
        .findFirst().orElseThrow();
    assertThat(first.get("answer").asText()).isEqualTo("answer r1 i1 to one");
    assertThat(first.get("score").asDouble()).isEqualTo(1.1);
    assertThat(first.get("initial_best_score").asDouble()).isEqualTo(0.1);
    assertThat(first.get("pool")).hasSize(4);
    assertThat(first.get("pool").get(0).fieldNames()).toIterable()
        .containsExactlyInAnyOrder("text", "score", "round");
    assertThat(first.get("usage").get("requests").asLong()).isEqualTo(4);
    assertThat(first.has("elapsed_ms")).isTrue();
    assertThat(first.get("model").asText()).isEqualTo("fake-model");
    assertThat(Files.list(traces).count()).isEqualTo(3);
    assertThat(err.toString()).contains("3 done now").contains("round 0 best 0.1000 -> final 1.1000");

    int runsBefore = factory.runs.get();
    code = tpo("run", "--data", data.toString(), "--progress", "off", "--out", out.toString(),
        "--samples", "2", "--iterations", "1");
    assertThat(code).isEqualTo(0);
    assertThat(factory.runs.get()).isEqualTo(runsBefore);
    assertThat(results(out)).hasSize(3);
    assertThat(err.toString()).contains("nothing to do");
  }

  @Test
  void failedPromptGetsAnErrorLineTheRunGoesOnAndTheNextRunRetriesIt() throws IOException {
    Path out = dir.resolve("r.jsonl");
    factory.failFor.add("one");
    int code = tpo("run", "--data", data.toString(), "--progress", "off", "--out", out.toString());
    assertThat(code).isEqualTo(ExitCodes.PROMPTS_FAILED);
    List<JsonNode> lines = results(out);
    assertThat(lines).hasSize(3);
    JsonNode failed = lines.stream().filter(l -> l.has("error")).findFirst().orElseThrow();
    assertThat(failed.get("prompt").asText()).isEqualTo("one");
    assertThat(failed.get("error").asText()).contains("scripted failure");
    assertThat(failed.has("id")).isTrue();

    factory.failFor.clear();
    code = tpo("run", "--data", data.toString(), "--progress", "off", "--out", out.toString());
    assertThat(code).isEqualTo(0);
    lines = results(out);
    assertThat(lines).hasSize(3).noneMatch(l -> l.has("error"));
    assertThat(lines.stream().map(l -> l.get("id").asText()).distinct().count()).isEqualTo(3);
  }

  @Test
  void serverDownExitsUnavailableWithTheMessage() {
    factory.prepareFailure = new ConnectionFailedException(
        "cannot reach the policy server at http://localhost:1/v1/models: connection refused", null);
    int code = tpo("run", "--data", data.toString(), "--base-url", "http://localhost:1/v1",
        "--progress", "off", "--out", dir.resolve("r.jsonl").toString());
    assertThat(code).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(err.toString()).contains("http://localhost:1/v1");
  }

  @Test
  void defaultOutputNameCarriesDataModeAndSettings() throws IOException {
    Path cwdOut = Path.of("tpo-results", "prompts-bon-d0-n3.jsonl");
    Files.deleteIfExists(cwdOut);
    try {
      int code = tpo("run", "--data", data.toString(), "--mode", "bon", "--iterations", "0",
          "--samples", "3", "--progress", "off");
      assertThat(code).as(err.toString()).isEqualTo(0);
      assertThat(cwdOut).exists();
    } finally {
      Files.deleteIfExists(cwdOut);
      Files.deleteIfExists(Path.of("tpo-results", "prompts-bon-d0-n3.jsonl.lock"));
      try (var left = Files.list(Path.of("tpo-results"))) {
        if (left.findAny().isEmpty()) {
          Files.delete(Path.of("tpo-results"));
        }
      }
    }
  }

  @Test
  void unwritableOutputPathExitsWithIoErrorNamingThePath() throws IOException {
    Path blocker = dir.resolve("a-file");
    Files.writeString(blocker, "x");
    int code = tpo("run", "--data", data.toString(), "--progress", "off",
        "--out", blocker.resolve("r.jsonl").toString());
    assertThat(code).isEqualTo(ExitCodes.IO_ERROR);
    assertThat(err.toString()).contains("cannot write the results file")
        .contains(blocker.resolve("r.jsonl").toString()).contains("choose another --out");
    assertThat(factory.runs.get()).isZero();
  }

  @Test
  void unwritableTraceDirExitsWithIoErrorKeepingNothingHalfDone() throws IOException {
    Path blocker = dir.resolve("a-file");
    Files.writeString(blocker, "x");
    Path out = dir.resolve("r.jsonl");
    int code = tpo("run", "--data", data.toString(), "--progress", "off", "--out", out.toString(),
        "--trace-dir", blocker.resolve("traces").toString());
    assertThat(code).isEqualTo(ExitCodes.IO_ERROR);
    assertThat(err.toString()).contains("cannot create the trace directory");
    assertThat(Files.readString(out)).isEmpty();
  }

  @Test
  void resumingWithOtherSettingsWarnsAndKeepsTheEarlierResults() throws IOException {
    Path out = dir.resolve("r.jsonl");
    Path two = dir.resolve("two.json");
    Files.writeString(two, "[\"one\"]");
    assertThat(tpo("run", "--data", two.toString(), "--progress", "off", "--out", out.toString()))
        .isZero();
    assertThat(results(out).get(0).get("run_settings").asText())
        .contains("mode=tpo").contains("samples=5").contains("iterations=2").contains("reward=judge");
    int code = tpo("run", "--data", data.toString(), "--progress", "off", "--out", out.toString(),
        "--samples", "2");
    assertThat(code).isZero();
    assertThat(err.toString()).contains("warning: 1 results already in")
        .contains("were made with other settings").contains("samples=2");
    assertThat(results(out)).hasSize(3);
  }
}
