package dev.tpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.cli.run.TpoRunnerFactory;
import dev.tpo.llamacpp.testing.TinyGguf;
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
 * A whole {@code tpo run} over data/sample.json on real llama.cpp in process ({@code --policy
 * llama:<the tiny random-weight model>}) with the default reward, the LLM judge on the same model.
 * The tiny model writes no tags and no ratings: its update rounds and its ratings fail softly, so
 * the run ends with a result for every prompt and exit 0, the misses recorded as warnings.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LocalModelRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SAMPLE = Path.of("..", "data", "sample.json");

  @TempDir Path dir;

  @Test
  void aRunOnTheInProcessModelWithTheJudgeEndsWithEveryPromptAndExitZero() throws Exception {
    Path model = TinyGguf.defaultModel();
    Path out = dir.resolve("results.jsonl");
    StringWriter err = new StringWriter();
    CommandLine cl = TpoCli.commandLine(new TpoRunnerFactory(), Map.of());
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    int code = cl.execute("run", "--data", SAMPLE.toString(), "--policy", "llama:" + model,
        "--samples", "2", "--iterations", "1", "--max-tokens-response", "16",
        "--max-tokens-all", "4096", "--concurrency", "5", "--progress", "off",
        "--out", out.toString());

    assertThat(code).as(err.toString()).isZero();
    int prompts = JSON.readTree(SAMPLE.toFile()).size();
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      lines.add(JSON.readTree(l));
    }
    assertThat(lines).hasSize(prompts).allSatisfy(line -> {
      assertThat(line.has("error")).as(line.toString()).isFalse();
      assertThat(line.path("answer").asText()).isNotEmpty();
      // the judge found no rating: the lowest score, said on the line
      assertThat(line.path("warnings").toString()).contains("found no rating from 0 to 10");
    });
    assertThat(err.toString()).contains("at in process (llama:" + model + ")")
        .contains("reward judge");
  }
}
