package dev.tpo.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorers;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The grading responder lets the judge scorer run against the simulator, over loopback HTTP. */
@Timeout(30)
class SimulatedJudgeTest {

  @Test
  void theJudgeScorerGetsDeterministicRatingsInRangeAndOtherRequestsPlainAnswers() {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder()
            .responder(ChatResponder.grading(ChatResponder.deterministic())).start();
        OpenAiCompatibleModel policy = OpenAiCompatibleModel.builder()
            .baseUrl(server.openAiBaseUrl()).model("sim-model").build()) {
      RewardScorer judge = RewardScorers.fromSpec("judge",
          RewardScorerContext.DEFAULT.withJudgeModel(policy));
      List<String> answers = List.of("Rayleigh scattering.", "Because it reflects the sea.",
          "Short blue light scatters more than red.");
      List<Double> scores = judge.score("Why is the sky blue?", answers);
      assertThat(scores).hasSize(3).allSatisfy(s -> assertThat(s).isBetween(0.0, 10.0)
          .satisfies(v -> assertThat(v % 1).isZero()));
      assertThat(judge.score("Why is the sky blue?", answers)).isEqualTo(scores);

      String plain = policy.chat(ChatRequest.builder().user("Why is the sky blue?").build())
          .choices().get(0).text();
      assertThat(plain).startsWith("Simulated answer").doesNotContain("<score>");
    }
  }
}
