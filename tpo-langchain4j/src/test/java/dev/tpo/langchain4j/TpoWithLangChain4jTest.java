package dev.tpo.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import dev.tpo.Tpo;
import dev.tpo.TpoResult;
import dev.tpo.core.event.Phase;
import dev.tpo.core.error.RewardScoringException;
import dev.tpo.simulator.RecordedRequest;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A langchain4j ChatModel (the OpenAI module against the simulated server) as the policy of Tpo, a
 * langchain4j ScoringModel as its reward, and an AiServices interface answered through TpoChatModel.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TpoWithLangChain4jTest {
  private static SimulatedOpenAiServer server;
  private static LangChain4jLanguageModel policy;

  /** What the application declares; langchain4j implements it over TpoChatModel. */
  interface Assistant {
    @dev.langchain4j.service.SystemMessage("You are a concise networking tutor.")
    Result<String> explain(@dev.langchain4j.service.UserMessage String topic);
  }

  @BeforeAll
  static void start() {
    server = SimulatedOpenAiServer.start();
    policy = LangChain4jLanguageModel.of(OpenAiChatModel.builder()
        .baseUrl(server.openAiBaseUrl()).apiKey("unused").modelName("sim-model").build());
  }

  @AfterAll
  static void stop() {
    policy.close();
    server.close();
  }

  @BeforeEach
  void reset() {
    server.resetStats();
  }

  @Test
  void aLangChain4jChatModelIsThePolicyAndAScoringModelTheReward() {
    LengthScoringModel scoring = new LengthScoringModel();
    TpoResult result = Tpo.builder().policy(policy).scorer(LangChain4jRewardScorer.of(scoring))
        .samples(3).iterations(2).build().optimize("Explain TCP slow start.");

    assertThat(result.rounds()).hasSize(2);
    assertThat(result.pool()).hasSizeGreaterThanOrEqualTo(3);
    double longest = result.pool().stream().mapToDouble(e -> e.text().length()).max()
        .orElseThrow();
    assertThat(result.bestScore()).isEqualTo(longest);
    assertThat(result.answer()).hasSize((int) longest);
    assertThat(scoring.queries).hasSize(3).containsOnly("Explain TCP slow start.");
    // the sampling phase: three single-choice calls; each later phase as the TPO loop asks
    assertThat(result.sampling().outputs()).hasSize(3);
    assertThat(result.phase(Phase.SAMPLING).usage().requests()).isEqualTo(3);
    assertThat(result.phase(Phase.UPDATE).usage().requests()).isEqualTo(2 * 3);
    assertThat(result.sampling().model()).isEqualTo("sim-model");
    List<RecordedRequest> sent = server.requests(SimulatedOpenAiServer.CHAT_PATH);
    assertThat(sent).allSatisfy(r -> assertThat(r.n()).isEqualTo(1));
  }

  @Test
  void anAiServicesInterfaceIsAnsweredByTpo() {
    LengthScoringModel scoring = new LengthScoringModel();
    Tpo tpo = Tpo.builder().policy(policy).scorer(LangChain4jRewardScorer.of(scoring))
        .samples(2).iterations(1).build();
    Assistant assistant = AiServices.create(Assistant.class, TpoChatModel.of(tpo));

    Result<String> answer = assistant.explain("TCP slow start");

    assertThat(answer.content()).isNotBlank();
    assertThat(scoring.queries).contains("TCP slow start");
    TpoChatResponseMetadata metadata =
        (TpoChatResponseMetadata) answer.finalResponse().metadata();
    assertThat(answer.content()).isEqualTo(metadata.result().answer());
    assertThat(metadata.score()).isEqualTo(answer.content().length());
    assertThat(metadata.modelName()).isEqualTo("sim-model");
    assertThat(metadata.id()).isEqualTo(metadata.result().runId());
    assertThat(answer.tokenUsage().inputTokenCount())
        .isEqualTo((int) metadata.tpoUsage().promptTokens()).isPositive();
    assertThat(answer.tokenUsage().outputTokenCount())
        .isEqualTo((int) metadata.tpoUsage().completionTokens()).isPositive();
    assertThat(answer.finishReason()).isEqualTo(FinishReason.STOP);
    // the @SystemMessage became the sampling system prompt
    RecordedRequest first = server.requests(SimulatedOpenAiServer.CHAT_PATH).get(0);
    assertThat(first.json().path("messages").get(0).path("content").asText())
        .isEqualTo("You are a concise networking tutor.");
  }

  @Test
  void historyAndSamplingSettingsOfTheChatRequestReachTheRun() {
    Tpo tpo = Tpo.builder().policy(policy).scorer(LangChain4jRewardScorer.of(
        new LengthScoringModel())).samples(2).iterations(0).build();
    ChatResponse response = TpoChatModel.of(tpo).chat(ChatRequest.builder()
        .messages(SystemMessage.from("sys"), UserMessage.from("first"),
            dev.langchain4j.data.message.AiMessage.from("reply"), UserMessage.from("second"))
        .temperature(0.3).topP(0.8).maxOutputTokens(300).build());

    TpoResult result = ((TpoChatResponseMetadata) response.metadata()).result();
    assertThat(result.prompt()).isEqualTo("second");
    assertThat(result.settings().temperature()).isEqualTo(0.3);
    assertThat(result.settings().topP()).isEqualTo(0.8);
    assertThat(result.settings().maxTokens()).isEqualTo(300);
    RecordedRequest first = server.requests(SimulatedOpenAiServer.CHAT_PATH).get(0);
    assertThat(first.json().path("messages")).extracting(m -> m.path("content").asText())
        .containsExactly("sys", "first", "reply", "second");
  }

  @Test
  void whatTpoCannotDoIsRefusedByName() {
    Tpo tpo = Tpo.builder().policy(policy).scorer(LangChain4jRewardScorer.of(
        new LengthScoringModel())).build();
    TpoChatModel model = TpoChatModel.of(tpo);
    ChatRequest withTools = ChatRequest.builder().messages(UserMessage.from("q"))
        .toolSpecifications(ToolSpecification.builder().name("weather").build()).build();
    assertThatThrownBy(() -> model.chat(withTools))
        .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("tools");
    ChatRequest endsWithSystem = ChatRequest.builder()
        .messages(UserMessage.from("q"), SystemMessage.from("s")).build();
    assertThatThrownBy(() -> model.chat(endsWithSystem))
        .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("user message");
    assertThat(server.requests(SimulatedOpenAiServer.CHAT_PATH)).isEmpty();
  }

  @Test
  void aFailingScoringModelFailsTheRunNamingIt() {
    LangChain4jRewardScorer broken = LangChain4jRewardScorer.of((segments, query) -> {
      throw new IllegalStateException("reranker quota exceeded");
    }, "my-reranker");
    Tpo tpo = Tpo.builder().policy(policy).scorer(broken).samples(2).iterations(1).build();
    assertThatThrownBy(() -> tpo.optimize("q")).isInstanceOf(RewardScoringException.class)
        .hasMessageContaining("my-reranker").hasMessageContaining("reranker quota exceeded");
    assertThat(broken.score("q", List.of())).isEmpty();
  }
}
