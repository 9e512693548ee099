package dev.tpo.reliability.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input through the {@code tpo run} command: bad option values and data files stop the run
 * before anything is sent (exit 2) with a message naming the option or the file and line; an
 * unwritable output stops it (exit 4) naming the path; a prompt too long for
 * {@code --max-tokens-all} gets an error line while the others get results (exit 1).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CliBadInputTest {
  private static SimulatedOpenAiServer server;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    server = SimulatedOpenAiServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private Path data(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  private Path good() throws IOException {
    return data("good.json", "[\"How do I boil an egg?\", \"Name a prime number.\"]");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "--samples, 0, '--samples must be at least 1, got 0'",
      "--samples, -2, '--samples must be at least 1, got -2'",
      "--iterations, -1, '--iterations must be at least 0, got -1'",
      "--mode, beam, '--mode must be tpo, revision or bon, got ''beam'''",
      "--max-tokens-all, 100, '--max-tokens-response (2048) must be less than --max-tokens-all'"})
  void badOptionValuesStopTheRunWithUsageNamingTheOption(String option, String value,
      String message) throws IOException {
    Path out = dir.resolve("out.jsonl");
    Cli.Result r = Cli.run(server, good(), out, option, value);
    assertThat(r.exit()).as(r.stderr()).isEqualTo(2);
    assertThat(r.stderr()).contains(message).doesNotContain("\tat ");
    assertThat(out).doesNotExist();
  }

  @Test
  void aNonNumericSampleCountIsAUsageErrorNamingTheOption() throws IOException {
    Cli.Result r = Cli.run(server, good(), dir.resolve("out.jsonl"), "--samples", "five");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr()).contains("--samples").contains("five");
  }

  static Stream<Arguments> malformedDataFiles() {
    return Stream.of(
        Arguments.of("unclosed array", "[\"a\", \"b\"", ":1:",
            "bad JSON: Unexpected end-of-input: expected close marker for Array"),
        Arguments.of("bad JSON line", "{\"id\": 1, \"prompt\": \"a\"}\n{\"id\": 2, \"prompt\": }",
            ":2:", "bad JSON"),
        Arguments.of("wrong field", "{\"id\": 1, \"question\": \"a\"}", ":1:",
            "has no \"prompt\" or \"instruction\" field (fields: [id, question])"),
        Arguments.of("prompt not a string", "{\"id\": 1, \"prompt\": 42}", ":1:",
            "\"prompt\" must be a string, got number"),
        Arguments.of("duplicate ids",
            "{\"id\": \"x\", \"prompt\": \"a\"}\n{\"id\": \"x\", \"prompt\": \"b\"}", ":2:",
            "duplicate id \"x\" (first used on line 1)"),
        Arguments.of("empty prompt", "[\"fine\", \"\"]", ":1:", "has a blank prompt"),
        Arguments.of("blank prompt", "{\"prompt\": \"ok\"}\n{\"prompt\": \"  \\t \"}", ":2:",
            "has a blank prompt"),
        Arguments.of("empty file", "", "data.txt", "the file is empty"),
        Arguments.of("not JSON at all", "prompt one", ":1:", "expected a JSON array ('[')"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedDataFiles")
  void malformedDataFilesStopTheRunNamingFileAndLine(String name, String text, String where,
      String message) throws IOException {
    Path f = data("data.txt", text);
    Path out = dir.resolve("out.jsonl");
    long before = server.stats().requests();
    Cli.Result r = Cli.run(server, f, out);
    assertThat(r.exit()).as(r.stderr()).isEqualTo(2);
    assertThat(r.stderr()).contains(f.toString()).contains(f + where.replace("data.txt", ""))
        .contains(message).doesNotContain("\tat ");
    assertThat(out).doesNotExist();
    assertThat(server.stats().requests()).as("nothing sent").isEqualTo(before);
  }

  @Test
  void invalidUtf8InADataFileStopsTheRunNamingFileLineAndOffset() throws IOException {
    Path f = dir.resolve("latin1.jsonl");
    byte[] first = "{\"id\": 1, \"prompt\": \"fine\"}\n".getBytes(StandardCharsets.UTF_8);
    byte[] second = "{\"id\": 2, \"prompt\": \"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[first.length + second.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    Files.write(f, all);
    Cli.Result r = Cli.run(server, f, dir.resolve("out.jsonl"));
    assertThat(r.exit()).isEqualTo(2);
    // line 2, at the byte of the Latin-1 e-acute
    assertThat(r.stderr()).contains(f + ":2:")
        .contains("is not valid UTF-8 (bad byte at offset " + (first.length + 24) + ")")
        .contains("save the file as UTF-8");
  }

  @Test
  void aMissingDataFileStopsTheRunNamingIt() {
    Path f = dir.resolve("nope.json");
    Cli.Result r = Cli.run(server, f, dir.resolve("out.jsonl"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr()).contains(f.toString()).contains("no such file");
  }

  @Test
  void anUnwritableResultsPathStopsTheRunNamingItBeforeAnyRequest() throws IOException {
    Path blocker = data("blocker", "a regular file, not a directory");
    Path out = blocker.resolve("results.jsonl");
    long before = server.stats().requests();
    Cli.Result r = Cli.run(server, good(), out);
    assertThat(r.exit()).as(r.stderr()).isEqualTo(4);
    assertThat(r.stderr()).contains("cannot write the results file " + out)
        .contains("choose another --out").doesNotContain("\tat ");
    assertThat(server.stats().requests()).isEqualTo(before);
  }

  @Test
  void aDirectoryAsResultsPathStopsTheRunNamingIt() throws IOException {
    Cli.Result r = Cli.run(server, good(), dir);
    assertThat(r.exit()).isEqualTo(4);
    assertThat(r.stderr()).contains("--out " + dir + " is a directory");
  }

  @Test
  void anUnwritableTraceDirectoryStopsTheRunNamingIt() throws IOException {
    Path blocker = data("blocker2", "a regular file");
    Path traces = blocker.resolve("traces");
    Path out = dir.resolve("traced.jsonl");
    Cli.Result r = Cli.run(server, good(), out, "--trace-dir", traces.toString());
    assertThat(r.exit()).as(r.stderr()).isEqualTo(4);
    assertThat(r.stderr()).contains("cannot create the trace directory " + traces)
        .contains("choose another --trace-dir");
  }

  @Test
  void aPromptOverMaxTokensAllAndA1MbPromptGetErrorLinesWhileTheOthersGetResults()
      throws IOException {
    String huge = "lorem ipsum ".repeat((1 << 20) / 12 + 1);
    Path f = data("mixed.jsonl", Cli.JSON.writeValueAsString(Map.of("id", "ok1", "prompt",
        "What is 2 + 2?")) + "\n"
        + Cli.JSON.writeValueAsString(Map.of("id", "long", "prompt", "word ".repeat(4_000)))
        + "\n" + Cli.JSON.writeValueAsString(Map.of("id", "huge", "prompt", huge)) + "\n"
        + Cli.JSON.writeValueAsString(Map.of("id", "ok2", "prompt", "Name a colour.")) + "\n");
    Path out = dir.resolve("mixed-out.jsonl");
    Cli.Result r = Cli.run(server, f, out, "--max-tokens-response", "256",
        "--max-tokens-all", "4096");
    assertThat(r.exit()).as(r.stderr()).isEqualTo(1);
    List<JsonNode> lines = Cli.lines(out);
    assertThat(lines).extracting(l -> l.get("id").asText())
        .containsExactlyInAnyOrder("ok1", "long", "huge", "ok2");
    for (JsonNode l : lines) {
      String id = l.get("id").asText();
      if (id.startsWith("ok")) {
        assertThat(l.has("error")).as(id).isFalse();
        assertThat(l.get("answer").asText()).isNotBlank();
      } else {
        assertThat(l.get("error").asText()).as(id).contains("fills maxContextTokens=4096")
            .contains("--max-tokens-all");
      }
    }
    // a rerun tries the failed prompts again and still keeps one line per prompt
    Cli.Result again = Cli.run(server, f, out, "--max-tokens-response", "256",
        "--max-tokens-all", "4096");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.stderr()).contains("2 prompts failed last time; they run again");
    assertThat(Cli.lines(out)).hasSize(4);
  }

  @Test
  void aPromptThatFitsSamplingButNotTheLossKeepsItsSamplesWithStopReasonContextFull()
      throws IOException {
    Path f = data("near.jsonl", Cli.JSON.writeValueAsString(Map.of("id", "near", "prompt",
        "word ".repeat(1_500))) + "\n");
    Path out = dir.resolve("near-out.jsonl");
    Cli.Result r = Cli.run(server, f, out, "--max-tokens-response", "128",
        "--max-tokens-all", "2048");
    assertThat(r.exit()).as(r.stderr()).isZero();
    JsonNode line = Cli.lines(out).get(0);
    assertThat(line.get("stop_reason").asText()).isEqualTo("CONTEXT_FULL");
    assertThat(line.get("stop_detail").asText()).contains("loss prompt")
        .contains("--max-tokens-all");
    assertThat(line.get("warnings").get(0).asText()).contains("refining stopped");
    assertThat(line.get("pool")).hasSize(2);
  }

  @Test
  void aPromptWithAJsonEscapedLoneSurrogateIsRefusedNamingFileLineAndIndex() throws IOException {
    // refused before anything is sent: a lone surrogate cannot be written to any file unchanged
    // (it used to reach the error line as '?')
    Path f = data("surrogate.jsonl", "{\"id\": \"bad\", \"prompt\": \"caf\\ud800 au lait\"}\n"
        + "{\"id\": \"good\", \"prompt\": \"Name a fruit.\"}\n");
    Path out = dir.resolve("surrogate-out.jsonl");
    Cli.Result r = Cli.run(server, f, out);
    assertThat(r.exit()).as(r.stderr()).isEqualTo(2);
    assertThat(r.stderr()).contains("surrogate.jsonl:1")
        .contains("lone surrogate \\uD800 at index 3");
    assertThat(out).doesNotExist();
  }
}
