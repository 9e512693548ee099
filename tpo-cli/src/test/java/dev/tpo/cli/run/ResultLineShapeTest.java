package dev.tpo.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.TpoResult;
import dev.tpo.TpoSettings;
import dev.tpo.cli.data.Prompt;
import dev.tpo.cli.store.ResultsStore;
import dev.tpo.cli.store.StoredResult;
import dev.tpo.core.event.TpoListener;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One JSON shape: a {@code tpo run} result line is the library's result with the command's fields. */
@Timeout(60)
class ResultLineShapeTest {

  @Test
  void aResultLineIsTheLibrarysResultJsonAndReadsBackAsTpoResult() throws Exception {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start()) {
      RunConfig config = new RunConfig(server.openAiBaseUrl(), Optional.of("sim-model"),
          Optional.empty(), Optional.empty(), "vllm+" + server.baseUrl() + "?model=sim-reward",
          "tpo", TpoSettings.builder().samples(2).iterations(1).maxTokens(64).build(), 1,
          Duration.ofSeconds(30), 0);
      RunnerFactory.Prepared prepared = new TpoRunnerFactory().prepare(config, TpoListener.NONE);
      try {
        Prompt prompt = new Prompt("q1", "Why is the sky blue?", 1);
        PromptOutcome outcome = prepared.runner().run(prompt);
        ObjectNode line = ResultLines.success(prompt, outcome, 42,
            Map.of("mode", "tpo", "model", "sim-model", "run_settings", "mode=tpo samples=2"));

        TpoResult back = TpoResult.fromJson(line.toString());
        assertThat(back.runId()).isEqualTo("q1");
        assertThat(back.answer()).isEqualTo(outcome.answer());
        assertThat(back.bestScore()).isEqualTo(outcome.score());
        assertThat(back.pool()).hasSize(outcome.pool().size());
        assertThat(back.rounds()).hasSize(1);
        assertThat(back.settings().samples()).isEqualTo(2);
        assertThat(back.usage()).isEqualTo(outcome.usage());
        // the library's own JSON has the same names: the command only adds fields
        ObjectNode library = (ObjectNode) ResultLines.JSON.readTree(
            TpoResult.fromJson(line.toString()).toJson());
        library.fieldNames().forEachRemaining(name -> assertThat(line.has(name)).as(name).isTrue());
        assertThat(line.get("settings").isObject()).isTrue();
        assertThat(line.get("elapsed_ms").asLong()).isEqualTo(42);

        StoredResult stored = ResultsStore.summarize(line);
        assertThat(stored.id()).isEqualTo("q1");
        assertThat(stored.settings()).isEqualTo("mode=tpo samples=2");
        assertThat(stored.failed()).isFalse();
      } finally {
        for (AutoCloseable c : prepared.resources()) {
          c.close();
        }
      }
    }
  }

  @Test
  void linesWrittenBeforeTheOneShapeStillResume() throws Exception {
    String old = "{\"id\":\"p1\",\"prompt\":\"q\",\"answer\":\"a\",\"score\":0.5,"
        + "\"initial_best_score\":0.25,\"pool\":[{\"text\":\"a\",\"score\":0.5,\"round\":0}],"
        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"requests\":1},"
        + "\"elapsed_ms\":9,\"mode\":\"tpo\",\"model\":\"m\","
        + "\"settings\":\"mode=tpo model=m samples=5\",\"finished_at\":\"2026-01-01T00:00:00Z\"}";
    StoredResult stored = ResultsStore.summarize(ResultsStore.parseLine(old).orElseThrow());
    assertThat(stored.id()).isEqualTo("p1");
    assertThat(stored.settings()).isEqualTo("mode=tpo model=m samples=5");
    assertThat(stored.score()).hasValue(0.5);
    assertThat(stored.failed()).isFalse();
  }
}
