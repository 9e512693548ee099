package dev.tpo.examples.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.scoring.ScoringModel;
import dev.langchain4j.service.Result;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorers;
import dev.tpo.langchain4j.TpoChatResponseMetadata;
import dev.tpo.simulator.SimulatedOpenAiServer;
import org.junit.jupiter.api.Test;

class LangChain4jExampleTest {

  @Test
  void theTutorIsAnsweredByTpoWithAnHttpRewardOrAScoringModel() {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start()) {
      OpenAiChatModel policy = OpenAiChatModel.builder().baseUrl(server.openAiBaseUrl())
          .apiKey("none").modelName("sim-model").build();
      RewardScorer reward = RewardScorers.fromSpec("vllm+" + server.baseUrl(),
          RewardScorerContext.DEFAULT);

      Result<String> answer = LangChain4jExample.tutor(policy, reward).explain("TCP slow start");
      TpoChatResponseMetadata tpo = (TpoChatResponseMetadata) answer.finalResponse().metadata();
      assertThat(answer.content()).isEqualTo(tpo.result().answer()).isNotBlank();
      assertThat(tpo.result().rounds()).hasSize(2);
      assertThat(answer.tokenUsage().inputTokenCount()).isPositive();

      ScoringModel byLength = (segments, query) -> Response.from(
          segments.stream().map(s -> (double) s.text().length()).toList());
      Result<String> reranked = LangChain4jExample.tutor(policy, byLength).explain("DNS");
      TpoChatResponseMetadata meta = (TpoChatResponseMetadata) reranked.finalResponse().metadata();
      assertThat(meta.score()).isEqualTo(reranked.content().length());
    }
  }
}
