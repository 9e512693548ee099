package dev.tpo.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.adapter.reward.TeiRewardScorer;
import dev.tpo.adapter.reward.VllmRewardScorer;
import dev.tpo.core.error.ModelNotFoundException;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.reward.RewardScorer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The simulator's wire formats as the project's own clients read them: the OpenAI-compatible
 * policy in every {@link NMode}, and the vLLM and TEI reward scorers on every reward path.
 */
@Timeout(60)
class SimulatorWithAdaptersTest {

  private static ChatRequest sampling(int n) {
    return ChatRequest.builder().system("be helpful").user("What is TPO?").n(n).temperature(0.7)
        .topP(0.95).seed(7L).maxTokens(256).build();
  }

  @ParameterizedTest
  @EnumSource(NMode.class)
  void policyGetsNDistinctChoicesWhateverTheServerDoesWithN(NMode mode) {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().nMode(mode).start();
        OpenAiCompatibleModel policy = OpenAiCompatibleModel.builder()
            .baseUrl(server.baseUrl()).model("sim-model").build()) {
      ChatResponse r = policy.chat(sampling(5));
      assertThat(r.texts()).hasSize(5).doesNotHaveDuplicates();
      assertThat(r.usage().completionTokens()).isPositive();
      assertThat(policy.singleChoiceFallback()).isEqualTo(mode != NMode.HONOR);
    }
  }

  @Test
  void policyReadsTheUnknownModelErrorAsModelNotFound() {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start();
        OpenAiCompatibleModel policy = OpenAiCompatibleModel.builder()
            .baseUrl(server.openAiBaseUrl()).model("no-such-model").build()) {
      assertThatThrownBy(() -> policy.chat(sampling(1)))
          .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("no-such-model");
    }
  }

  @Test
  void rewardScorersReadEveryRewardPathInInputOrder() {
    RewardFunction byLength = RewardFunction.byLength();
    List<String> responses = List.of("a".repeat(300), "b".repeat(100), "c".repeat(200));
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder()
        .rewardFunction(byLength).start()) {
      RewardScorer pooling = VllmRewardScorer.builder().baseUrl(server.baseUrl())
          .model("sim-reward").build();
      RewardScorer classify = VllmRewardScorer.builder().baseUrl(server.baseUrl())
          .model("sim-reward").endpoint(VllmRewardScorer.Endpoint.CLASSIFY).build();
      RewardScorer tei = TeiRewardScorer.builder().baseUrl(server.baseUrl()).build();

      assertThat(pooling.score("q", responses)).containsExactly(3.0, 1.0, 2.0);
      // /classify and /predict score the whole formatted input, so only the order is checked
      for (RewardScorer s : List.of(classify, tei)) {
        List<Double> scores = s.score("q", responses);
        assertThat(scores).hasSize(3);
        assertThat(scores.get(0)).isGreaterThan(scores.get(2));
        assertThat(scores.get(2)).isGreaterThan(scores.get(1));
      }
      assertThat(server.stats().requests(SimulatedOpenAiServer.POOLING_PATH)).isEqualTo(3);
      assertThat(server.stats().requests(SimulatedOpenAiServer.CLASSIFY_PATH)).isEqualTo(1);
      assertThat(server.stats().requests(SimulatedOpenAiServer.PREDICT_PATH)).isPositive();
    }
  }
}
