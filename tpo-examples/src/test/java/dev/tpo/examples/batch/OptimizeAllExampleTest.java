package dev.tpo.examples.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.TpoOutcome;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorers;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class OptimizeAllExampleTest {

  @Test
  void optimizesEveryPromptOverLoopbackHttpAndPrintsOneLineEach() throws Exception {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().models("sim").start();
        OpenAiCompatibleModel model = OpenAiCompatibleModel.builder()
            .baseUrl(server.openAiBaseUrl()).model("sim").build()) {
      RewardScorer scorer = RewardScorers.fromSpec("vllm+http://127.0.0.1:" + server.port(),
          RewardScorerContext.DEFAULT);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      List<TpoOutcome> outcomes = OptimizeAllExample.run(model, scorer,
          OptimizeAllExample.PROMPTS, 3, new PrintStream(bytes, true, StandardCharsets.UTF_8));
      if (scorer instanceof AutoCloseable c) {
        c.close();
      }
      assertThat(outcomes).hasSize(4).allMatch(TpoOutcome::succeeded);
      assertThat(outcomes).extracting(o -> o.request().id().orElseThrow())
          .containsExactly("prompt-0", "prompt-1", "prompt-2", "prompt-3");
      String out = bytes.toString(StandardCharsets.UTF_8);
      assertThat(out.lines()).hasSize(4).allMatch(l -> l.matches("prompt-\\d: score -?[0-9.]+ after 2"
          + " rounds, \\d+ tokens"));
      assertThat(server.stats().requests(SimulatedOpenAiServer.CHAT_PATH)).isEqualTo(4 * 7);
    }
  }
}
