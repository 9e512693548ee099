package dev.tpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.cli.run.TpoRunnerFactory;
import dev.tpo.simulator.RecordedRequest;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import picocli.CommandLine;

/**
 * {@code tpo run --stream-scoring}: off by default, on with the flag, and a whole run with it
 * against the simulator streams its sampling and update requests and gives the results of the
 * plain run.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StreamScoringOptionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private Path prompts() throws IOException {
    Path data = dir.resolve("prompts.jsonl");
    Files.write(data, List.of("{\"id\":\"a\",\"prompt\":\"How do I keep basil alive?\"}",
        "{\"id\":\"b\",\"prompt\":\"Why is the sky blue?\"}"), StandardCharsets.UTF_8);
    return data;
  }

  private static int tpo(dev.tpo.cli.run.RunnerFactory factory, StringWriter err,
      String... args) {
    CommandLine cl = TpoCli.commandLine(factory, Map.of());
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    return cl.execute(args);
  }

  @Test
  void isOffByDefaultAndOnWithTheFlag() throws IOException {
    Path data = prompts();
    FakeRunnerFactory factory = new FakeRunnerFactory();
    StringWriter err = new StringWriter();
    String[] common = {"run", "--data", data.toString(), "--base-url", "http://127.0.0.1:9/v1",
        "--model", "m", "--reward", "vllm+http://127.0.0.1:9", "--progress", "off"};

    assertThat(tpo(factory, err, withOut(common, "plain.jsonl"))).as(err.toString()).isZero();
    assertThat(factory.config.streamScoring()).isFalse();
    assertThat(factory.config.toString()).doesNotContain("streamScoring");

    assertThat(tpo(factory, err, withOut(common, "stream.jsonl", "--stream-scoring")))
        .as(err.toString()).isZero();
    assertThat(factory.config.streamScoring()).isTrue();
    assertThat(factory.config.toString()).contains("streamScoring=true");
    assertThat(factory.config.withModel("other").streamScoring()).isTrue();
  }

  private String[] withOut(String[] common, String out, String... more) {
    List<String> all = new ArrayList<>(List.of(common));
    all.add("--out");
    all.add(dir.resolve(out).toString());
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }

  @Test
  void aRunWithTheFlagStreamsAndGivesThePlainRunsResults() throws IOException {
    Path data = prompts();
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().start()) {
      String[] common = {"run", "--data", data.toString(), "--base-url", server.openAiBaseUrl(),
          "--model", "sim-model", "--reward", "vllm+" + server.baseUrl() + "?model=sim-reward",
          "--samples", "3", "--iterations", "1", "--concurrency", "1", "--progress", "off"};
      StringWriter err = new StringWriter();
      assertThat(tpo(new TpoRunnerFactory(), err, withOut(common, "plain.jsonl")))
          .as(err.toString()).isZero();
      List<RecordedRequest> plainChats = server.requests(SimulatedOpenAiServer.CHAT_PATH);
      server.resetStats();
      assertThat(tpo(new TpoRunnerFactory(), err, withOut(common, "stream.jsonl",
          "--stream-scoring"))).as(err.toString()).isZero();
      List<RecordedRequest> streamChats = server.requests(SimulatedOpenAiServer.CHAT_PATH);

      assertThat(plainChats).noneMatch(StreamScoringOptionTest::streamed);
      // per prompt: the sampling and the update request streamed (n=3), loss and gradient not
      assertThat(streamChats).filteredOn(StreamScoringOptionTest::streamed).hasSize(4)
          .allSatisfy(r -> assertThat(r.n()).isEqualTo(3));
      List<JsonNode> plain = lines(dir.resolve("plain.jsonl"));
      List<JsonNode> streamed = lines(dir.resolve("stream.jsonl"));
      assertThat(streamed).hasSize(2);
      for (int i = 0; i < 2; i++) {
        for (String field : new String[] {"id", "answer", "score", "initial_best_score", "pool"}) {
          assertThat(streamed.get(i).path(field)).as(field).isEqualTo(plain.get(i).path(field));
        }
      }
    }
  }

  private static boolean streamed(RecordedRequest r) {
    return r.json().path("stream").asBoolean(false);
  }

  private static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      out.add(JSON.readTree(l));
    }
    out.sort(java.util.Comparator.comparing(n -> n.path("id").asText()));
    return out;
  }
}
