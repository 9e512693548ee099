package dev.tpo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.event.Phase;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorers;
import dev.tpo.simulator.RecordedRequest;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole stack over real loopback HTTP: Tpo with the OpenAI-compatible policy and the vLLM
 * reward scorer against the simulated server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TpoOverHttpTest {

  @Test
  void runsTpoAgainstAnOpenAiCompatibleServerAndARewardEndpoint() throws Exception {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().start();
        OpenAiCompatibleModel policy = OpenAiCompatibleModel.builder()
            .baseUrl(server.openAiBaseUrl()).model("sim-model").build()) {
      RewardScorer scorer = RewardScorers.fromSpec(
          "vllm+" + server.baseUrl() + "?model=sim-reward", RewardScorerContext.DEFAULT);
      try {
        TpoResult result = Tpo.builder().policy(policy).scorer(scorer).build()
            .optimize("How do I keep basil alive indoors?");

        List<RecordedRequest> chats = server.requests(SimulatedOpenAiServer.CHAT_PATH);
        assertThat(chats).hasSize(7);
        assertThat(chats).extracting(RecordedRequest::updateRequest)
            .containsExactly(false, false, false, true, false, false, true);
        for (int i : new int[] {0, 3, 6}) {
          JsonNode body = chats.get(i).json();
          assertThat(body.path("n").asInt()).isEqualTo(5);
          assertThat(body.path("temperature").asDouble()).isEqualTo(0.7);
          assertThat(body.path("top_p").asDouble()).isEqualTo(0.95);
          assertThat(body.path("seed").asLong()).isEqualTo(7L);
          assertThat(body.path("max_tokens").asInt()).isEqualTo(2048);
        }
        for (int i : new int[] {1, 2, 4, 5}) {
          assertThat(chats.get(i).n()).isEqualTo(1);
          assertThat(chats.get(i).json().path("seed").asLong()).isEqualTo(7L);
        }
        // one batch per round for the loop; vLLM's /pooling takes one conversation per request
        assertThat(result.phase(Phase.SCORING).usage().requests()).isEqualTo(3);
        assertThat(server.requests(SimulatedOpenAiServer.POOLING_PATH))
            .hasSize(result.pool().size());

        assertThat(result.rounds()).hasSize(2)
            .allSatisfy(r -> assertThat(r.status()).isEqualTo(RoundStatus.COMPLETED));
        assertThat(result.pool()).hasSizeGreaterThanOrEqualTo(11);
        double best = result.pool().stream().mapToDouble(PoolEntry::score).max().orElseThrow();
        assertThat(result.bestScore()).isEqualTo(best);
        assertThat(result.phase(Phase.UPDATE).usage().completionTokens()).isPositive();
        assertThat(TpoResult.fromJson(result.toJson())).isEqualTo(result);
      } finally {
        if (scorer instanceof AutoCloseable) {
          ((AutoCloseable) scorer).close();
        }
      }
    }
  }
}
