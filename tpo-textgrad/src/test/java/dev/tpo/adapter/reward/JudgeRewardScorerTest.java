package dev.tpo.adapter.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.adapter.http.MockHttp;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.error.BadRequestException;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.RewardScoringException;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatRole;
import dev.tpo.core.model.TokenUsage;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.ScoredBatch;
import dev.tpo.core.testing.RewardScorerContractTest;
import dev.tpo.core.testing.ScriptedLanguageModel;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JudgeRewardScorerTest {
  private static final String PROMPT = "Why is the sky blue?";

  private static JudgeRewardScorer judge(ScriptedLanguageModel model) {
    return JudgeRewardScorer.builder().model(model.named("judge-llm")).build();
  }

  @Test
  void asksForStructuredOutputAndReadsIt() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("{\"reasoning\": \"Correct and brief.\", \"score\": 8}");

    assertThat(judge(model).score(PROMPT, List.of("Rayleigh scattering."))).containsExactly(8.0);

    ChatRequest sent = model.request(0);
    assertThat(sent.n()).isEqualTo(1);
    assertThat(sent.temperature()).contains(0.0);
    assertThat(sent.seed()).contains(0L);
    @SuppressWarnings("unchecked")
    Map<String, Object> format = (Map<String, Object>) sent.extraBody().get("response_format");
    assertThat(format).containsEntry("type", "json_schema");
    assertThat(sent.messages()).extracting(ChatMessage::role)
        .containsExactly(ChatRole.SYSTEM, ChatRole.USER);
  }

  @Test
  void everyJudgePromptComesFromTheRegistryAndCanBeReplaced() {
    ScriptedLanguageModel model = new ScriptedLanguageModel().thenAnswer("<score>4</score>");
    PromptTemplates prompts = PromptTemplates.defaults()
        .with(PromptTemplates.JUDGE_SYSTEM, "Rate from 0 to {{max}}. {{rubric}}")
        .with(PromptTemplates.JUDGE_RUBRIC, "Only brevity counts.");
    assertThat(JudgeRewardScorer.builder().model(model).structuredOutput(false).prompts(prompts)
        .build().score(PROMPT, List.of("Rayleigh."))).containsExactly(4.0);
    assertThat(model.request(0).messages().get(0).content())
        .isEqualTo("Rate from 0 to 10. Only brevity counts.");
    assertThatThrownBy(() -> PromptTemplates.defaults()
        .with(PromptTemplates.JUDGE_USER, "{{prompt}} {{response}}"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("{{format}}");
  }

  @Test
  void rendersThePromptAsTheCheckedInGolden() throws IOException {
    ScriptedLanguageModel model = new ScriptedLanguageModel().thenAnswer("<score>5</score>");
    JudgeRewardScorer.builder().model(model).structuredOutput(false).build()
        .score(PROMPT, List.of("Rayleigh scattering."));
    List<ChatMessage> messages = model.request(0).messages();
    String rendered = "[system]\n" + messages.get(0).content() + "\n[user]\n"
        + messages.get(1).content() + "\n";
    assertThat(rendered).isEqualTo(resource("judge-prompt-golden.txt"));
  }

  @Test
  void rendersTheStructuredPromptAndTheRetryAsTheCheckedInGolden() throws IOException {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("no idea").thenAnswer("<score>2</score>");
    JudgeRewardScorer.builder().model(model).scale(5).build()
        .score(PROMPT, List.of("Rayleigh scattering."));
    String rendered = "[user]\n" + model.request(0).messages().get(1).content() + "\n[retry]\n"
        + model.request(1).messages().get(3).content() + "\n";
    assertThat(rendered).isEqualTo(resource("judge-prompt-json-retry-golden.txt"));
  }

  @Test
  void reportsTheUsageOfEveryJudgeRequestRetriesIncluded() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("<score>4</score>")
        .thenAnswer("no rating here")
        .thenAnswer("<score>9</score>");
    JudgeRewardScorer judge = JudgeRewardScorer.builder().model(model).structuredOutput(false)
        .build();
    ScoredBatch batch = judge.scoreAll(PROMPT, List.of("a", "b"));
    assertThat(batch.scores()).hasSize(2);
    assertThat(model.requests()).hasSize(3);
    long prompt = 0;
    long completion = 0;
    for (int i = 0; i < 3; i++) {
      for (ChatMessage m : model.request(i).messages()) {
        prompt += (m.content().length() + 3) / 4;
      }
    }
    for (String reply : List.of("<score>4</score>", "no rating here", "<score>9</score>")) {
      completion += (reply.length() + 3) / 4;
    }
    assertThat(batch.usage()).isEqualTo(new TokenUsage(prompt, completion, 3));
    assertThat(RewardScorer.checked(judge).scoreAll(PROMPT, List.of()))
        .isEqualTo(ScoredBatch.of(List.of()));
  }

  @Test
  void readsAMessyReplyWithoutAskingAgain() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("Well... it is mostly right.\n\n**Rating:** 7/10");
    assertThat(judge(model).score(PROMPT, List.of("x"))).containsExactly(7.0);
    assertThat(model.requests()).hasSize(1);
  }

  @Test
  void asksOnceMoreWhenTheReplyHasNoRating() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("This answer is fine, I think.")
        .thenAnswer("<score>6</score>");

    assertThat(judge(model).score(PROMPT, List.of("x"))).containsExactly(6.0);

    ChatRequest retry = model.request(1);
    assertThat(retry.messages()).hasSize(4);
    assertThat(retry.messages().get(2).content()).isEqualTo("This answer is fine, I think.");
    assertThat(retry.messages().get(3).content()).contains("<score>N</score>");
  }

  @Test
  void scoresTheLowestWithAWarningWhenNoRatingComesTwice() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("<score>7</score>")
        .thenAnswer("I'd rather not say.")
        .thenAnswer("Still no number.");
    JudgeRewardScorer judge = judge(model);
    ScoredBatch batch = judge.scoreAll(PROMPT, List.of("good", "bad"));
    assertThat(batch.scores()).containsExactly(7.0, 0.0);
    assertThat(batch.warnings()).singleElement().asString()
        .contains("judge(judge-llm)")
        .contains("1 of 2 responses (#1)")
        .contains("they score 0, the lowest")
        .contains("Still no number.");
    assertThat(batch.usage().requests()).isEqualTo(3);
    assertThat(judge.unratedResponses()).isEqualTo(1);
  }

  @Test
  void failsClearlyWhenNoRatingComesTwiceAndFailingIsAskedFor() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("<score>7</score>")
        .thenAnswer("I'd rather not say.")
        .thenAnswer("Still no number.");
    JudgeRewardScorer strict = JudgeRewardScorer.builder().model(model.named("judge-llm"))
        .failOnMissingRating(true).build();
    assertThatThrownBy(() -> strict.score(PROMPT, List.of("good", "bad")))
        .isInstanceOf(RewardScoringException.class)
        .hasMessageContaining("judge(judge-llm)")
        .hasMessageContaining("response #1")
        .hasMessageContaining("Still no number.");
  }

  @Test
  void fallsBackToTextWhenTheServerRejectsResponseFormat() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenFail(new BadRequestException("response_format not supported", 400, "{}"))
        .thenAnswer("Good. <score>9</score>")
        .thenAnswer("<score>4</score>");
    JudgeRewardScorer judge = judge(model);

    assertThat(judge.score(PROMPT, List.of("a"))).containsExactly(9.0);
    assertThat(judge.structuredOutput()).isFalse();
    assertThat(judge.score(PROMPT, List.of("b"))).containsExactly(4.0);
    assertThat(model.request(1).extraBody()).doesNotContainKey("response_format");
    assertThat(model.request(2).extraBody()).doesNotContainKey("response_format");
  }

  @Test
  void anUnrelatedBadRequestSurfacesAndKeepsStructuredOutput() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenFail(new BadRequestException("prompt too long", 400, "{\"message\":\"context\"}"));
    JudgeRewardScorer judge = judge(model);
    assertThatThrownBy(() -> judge.score(PROMPT, List.of("a")))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("prompt too long");
    assertThat(judge.structuredOutput()).isTrue();
    assertThat(model.requests()).hasSize(1);
  }

  @Test
  void scoresInInputOrder() {
    ScriptedLanguageModel model = new ScriptedLanguageModel().otherwise(JudgeRewardScorerTest::rate);
    List<String> responses = List.of("short", "a much longer answer", "mid size");
    assertThat(judge(model).score(PROMPT, responses))
        .containsExactly(rating("short"), rating("a much longer answer"), rating("mid size"));
  }

  @Test
  void sendsTheJsonSchemaOverHttpThroughTheOpenAiModel() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(
          "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
              + "\"{\\\"reasoning\\\":\\\"fine\\\",\\\"score\\\":6}\"},\"finish_reason\":\"stop\"}],"
              + "\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":9}}"));
      server.start();
      try (OpenAiCompatibleModel model = OpenAiCompatibleModel.builder()
          .baseUrl(server.url("/").toString()).model("judge-model").build()) {
        JudgeRewardScorer judge = JudgeRewardScorer.builder().model(model).build();
        assertThat(judge.score(PROMPT, List.of("x"))).containsExactly(6.0);
      }
      RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
      JsonNode format = MockHttp.body(sent).get("response_format");
      assertThat(format.get("type").asText()).isEqualTo("json_schema");
      assertThat(format.at("/json_schema/schema/properties/score/maximum").asInt()).isEqualTo(10);
      assertThat(format.at("/json_schema/schema/required").toString())
          .isEqualTo("[\"reasoning\",\"score\"]");
    }
  }

  @Test
  void builderNamesTheBadField() {
    assertThatThrownBy(() -> JudgeRewardScorer.builder().build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("model");
    assertThatThrownBy(() -> JudgeRewardScorer.builder().model(new ScriptedLanguageModel())
        .scale(0).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("got 0");
  }

  /** A deterministic fake judge: rates by the answer's length, 0 to 10. */
  static dev.tpo.core.model.ChatResponse rate(ChatRequest request) {
    String user = request.messages().get(1).content();
    String answer = user.substring(user.indexOf("## Answer to rate\n") + 18,
        user.lastIndexOf("\n\n"));
    return ScriptedLanguageModel.respond(request,
        List.of("Reasons.\n<score>" + (int) rating(answer) + "</score>"),
        dev.tpo.core.model.FinishReason.STOP);
  }

  static double rating(String answer) {
    return answer.length() % 11;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = JudgeRewardScorerTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The contract every scorer passes, on a deterministic fake judge. */
  @Nested
  class Contract extends RewardScorerContractTest {
    @Override
    protected RewardScorer createScorer() {
      return JudgeRewardScorer.builder()
          .model(new ScriptedLanguageModel().otherwise(JudgeRewardScorerTest::rate)).build();
    }
  }
}
