package dev.tpo.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.tpo.core.error.AuthenticationException;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.ModelNotFoundException;
import dev.tpo.core.model.ChatChoice;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.FinishReason;
import dev.tpo.simulator.RecordedRequest;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** langchain4j's OpenAI module, pointed at the simulated server, as a TPO LanguageModel. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LangChain4jLanguageModelTest {
  private static SimulatedOpenAiServer server;

  @BeforeAll
  static void start() {
    server = SimulatedOpenAiServer.builder().requireApiKey("test-key").start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void reset() {
    server.resetStats();
  }

  static OpenAiChatModel openAi(String model, String key) {
    return OpenAiChatModel.builder().baseUrl(server.openAiBaseUrl()).apiKey(key)
        .modelName(model).maxRetries(0).build();
  }

  @Test
  void nChoicesAreNConcurrentCallsWithTheSamplingSettingsAndOneSeedEach() {
    try (LangChain4jLanguageModel model = LangChain4jLanguageModel.of(openAi("sim-model",
        "test-key"))) {
      ChatResponse response = model.chat(ChatRequest.builder().system("Be brief.").user("Hi")
          .n(3).temperature(0.7).topP(0.9).maxTokens(200).seed(7L).build());

      assertThat(response.choices()).hasSize(3);
      assertThat(response.choices()).extracting(ChatChoice::index).containsExactly(0, 1, 2);
      assertThat(response.texts()).doesNotHaveDuplicates();
      assertThat(response.model()).isEqualTo("sim-model");
      assertThat(model.name()).isEqualTo("sim-model");
      List<RecordedRequest> sent = server.requests(SimulatedOpenAiServer.CHAT_PATH);
      assertThat(sent).hasSize(3);
      assertThat(sent).allSatisfy(r -> {
        JsonNode json = r.json();
        assertThat(json.has("n")).isFalse();
        assertThat(json.path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(json.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(json.path("max_tokens").asInt(json.path("max_completion_tokens").asInt()))
            .isEqualTo(200);
        assertThat(json.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(json.path("messages").get(1).path("content").asText()).isEqualTo("Hi");
      });
      assertThat(sent).extracting(r -> r.json().path("seed").asInt())
          .containsExactlyInAnyOrder(7, 8, 9);
      // usage: summed over the three calls, each counted as a request
      assertThat(response.usage().requests()).isEqualTo(3);
      assertThat(response.usage().promptTokens()).isPositive();
      assertThat(response.usage().completionTokens()).isPositive();
    }
  }

  @Test
  void aTokenLimitShowsAsLengthFinishReason() {
    try (LangChain4jLanguageModel model = LangChain4jLanguageModel.of(openAi("sim-model",
        "test-key"))) {
      ChatResponse response = model.chat(ChatRequest.builder().user("Hi").maxTokens(2).build());
      assertThat(response.choices().get(0).finishReason()).isEqualTo(FinishReason.LENGTH);
      ChatResponse full = model.chat(ChatRequest.builder().user("Hi").build());
      assertThat(full.choices().get(0).finishReason()).isEqualTo(FinishReason.STOP);
    }
  }

  @Test
  void aCustomizerPassesWhatOnlyTheProviderTakesAndDropsWhatItRefuses() {
    try (LangChain4jLanguageModel model = LangChain4jLanguageModel
        .builder(openAi("sim-model", "test-key"))
        .name("my-policy")
        .parameters((p, request, choice, seed) -> ChatRequestParameters.builder()
            .overrideWith(p).topP(null).maxOutputTokens(50 + choice).build())
        .build()) {
      model.chat(ChatRequest.builder().user("Hi").n(2).topP(0.5).build());
      assertThat(model.name()).isEqualTo("my-policy");
      assertThat(server.requests(SimulatedOpenAiServer.CHAT_PATH)).allSatisfy(r ->
          assertThat(r.json().has("top_p")).isFalse())
          .extracting(r -> r.json().path("max_tokens").asInt(
              r.json().path("max_completion_tokens").asInt()))
          .containsExactlyInAnyOrder(50, 51);
    }
  }

  @Test
  void langchain4jFailuresBecomeTpoExceptionsWithoutTheKey() {
    String secret = "sk-wrong-SECRET-4711";
    try (LangChain4jLanguageModel wrongKey = LangChain4jLanguageModel.of(openAi("sim-model",
        secret));
        LangChain4jLanguageModel unknown = LangChain4jLanguageModel.of(openAi("no-such-model",
            "test-key"))) {
      ChatRequest request = ChatRequest.builder().user("Hi").n(2).build();
      assertThatThrownBy(() -> wrongKey.chat(request))
          .isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("sim-model").hasMessageContaining("API key")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret))
          .satisfies(e -> assertThat(((AuthenticationException) e).statusCode()).isEqualTo(401));
      assertThatThrownBy(() -> unknown.chat(request))
          .isInstanceOf(ModelNotFoundException.class)
          .hasMessageContaining("no-such-model");
    }
  }

  @Test
  void badSettingsAreRefusedNamingTheField() {
    OpenAiChatModel openAi = openAi("sim-model", "test-key");
    assertThatThrownBy(() -> LangChain4jLanguageModel.builder(openAi).maxConcurrentRequests(0)
        .build()).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("maxConcurrentRequests").hasMessageContaining("got 0");
    assertThatThrownBy(() -> LangChain4jLanguageModel.builder(null).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("ChatModel");
  }
}
