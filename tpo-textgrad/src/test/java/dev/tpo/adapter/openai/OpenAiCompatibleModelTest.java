package dev.tpo.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.adapter.http.GatheringDispatcher;
import dev.tpo.adapter.http.MockHttp;
import dev.tpo.core.error.AuthenticationException;
import dev.tpo.core.error.BadRequestException;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.HttpStatusException;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.error.ModelNotFoundException;
import dev.tpo.core.error.RateLimitedException;
import dev.tpo.core.error.TpoException;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.FinishReason;
import dev.tpo.core.model.TokenUsage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpenAiCompatibleModelTest {
  private static final String KEY = "sk-test-SECRET-4f9a2b";

  private final MockWebServer server = new MockWebServer();
  private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
  private final List<OpenAiCompatibleModel> models = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    models.forEach(OpenAiCompatibleModel::close);
    server.shutdown();
  }

  private OpenAiCompatibleModel model(Consumer<OpenAiCompatibleModel.Builder> config) {
    OpenAiCompatibleModel.Builder b = OpenAiCompatibleModel.builder()
        .baseUrl(server.url("/").toString())
        .apiKey(KEY)
        .model("policy-model")
        .timeout(Duration.ofSeconds(10))
        .retrySleeper(delay -> {
          sleeps.add(delay);
          return CompletableFuture.completedFuture(null);
        });
    config.accept(b);
    OpenAiCompatibleModel m = b.build();
    models.add(m);
    return m;
  }

  private static ChatRequest request(int n, Long seed) {
    return ChatRequest.builder().user("Why is the sky blue?").n(n).temperature(0.7).topP(0.95)
        .maxTokens(256).seed(seed).build();
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r).as("a request reached the server").isNotNull();
    return r;
  }

  @Test
  void sendsEverySamplingSettingAndExtraFieldExactly() throws Exception {
    server.enqueue(ChatJson.completion(List.of("a", "b", "c", "d"), 12, 40));
    OpenAiCompatibleModel m = model(b -> b.putExtraBody("top_k", 40).putExtraBody("min_p", 0.05)
        .putHeader("X-Tenant", "team-a"));
    ChatRequest req = ChatRequest.builder().system("You are concise.").user("Why is the sky blue?")
        .n(4).temperature(0.7).topP(0.95).maxTokens(256).seed(42L).stop(List.of("</answer>"))
        .putExtraBody("repetition_penalty", 1.1)
        .putExtraBody("chat_template_kwargs", Map.of("enable_thinking", false))
        .build();

    ChatResponse r = m.chat(req);

    RecordedRequest sent = take();
    assertThat(sent.getPath()).isEqualTo("/v1/chat/completions");
    assertThat(sent.getMethod()).isEqualTo("POST");
    assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(sent.getHeader("X-Tenant")).isEqualTo("team-a");
    assertThat(MockHttp.body(sent))
        .isEqualTo(MockHttp.resource(OpenAiCompatibleModelTest.class, "sampling-request.json"));
    assertThat(r.texts()).containsExactly("a", "b", "c", "d");
    assertThat(r.usage()).isEqualTo(new TokenUsage(12, 40, 1));
    assertThat(r.model()).isEqualTo("policy-model");
  }

  @Test
  void requestExtraBodyOverridesTheModelDefault() throws Exception {
    server.enqueue(ChatJson.completion(List.of("a"), 1, 1));
    OpenAiCompatibleModel m = model(b -> b.putExtraBody("top_k", 40));
    m.chat(request(1, 1L).toBuilder().putExtraBody("top_k", 5).build());
    assertThat(MockHttp.body(take()).get("top_k").asInt()).isEqualTo(5);
  }

  @Test
  void acceptsBaseUrlWithOrWithoutV1() throws Exception {
    String root = server.url("/").toString();
    for (String base : List.of(root, root + "v1", root + "v1/")) {
      server.enqueue(ChatJson.completion(List.of("ok"), 1, 1));
      OpenAiCompatibleModel m = model(b -> b.baseUrl(base));
      assertThat(m.chat(request(1, null)).text()).isEqualTo("ok");
      assertThat(take().getPath()).as("for base %s", base).isEqualTo("/v1/chat/completions");
    }
  }

  @Test
  void keepsFinishReasonLengthVisible() {
    server.enqueue(MockHttp.json(200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":"
        + "\"assistant\",\"content\":\"cut\"},\"finish_reason\":\"length\"}],"
        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5}}"));
    ChatResponse r = model(b -> { }).chat(request(1, 1L));
    assertThat(r.choices().get(0).finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(r.choices().get(0).truncated()).isTrue();
  }

  @Test
  void serverThatRefusesNFallsBackToSingleRequestsAndRemembersIt() throws Exception {
    server.setDispatcher(new FakeServer(FakeServer.NMode.REFUSE));
    OpenAiCompatibleModel m = model(b -> { });

    ChatResponse first = m.chat(request(4, 100L));

    assertThat(first.choices()).hasSize(4);
    assertThat(first.texts()).doesNotHaveDuplicates();
    assertThat(m.singleChoiceFallback()).isTrue();
    assertThat(sleeps).as("the refusal is not retried").isEmpty();
    List<JsonNode> bodies = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      bodies.add(MockHttp.body(take()));
    }
    assertThat(bodies.get(0).get("n").asInt()).isEqualTo(4);
    assertThat(bodies.subList(1, 5)).allSatisfy(b -> assertThat(b.get("n").asInt()).isEqualTo(1));
    assertThat(bodies.subList(1, 5).stream().map(b -> b.get("seed").asLong()))
        .containsExactlyInAnyOrder(100L, 101L, 102L, 103L);
    assertThat(first.usage().requests()).isEqualTo(4);

    ChatResponse second = m.chat(request(3, 7L));
    assertThat(second.choices()).hasSize(3);
    assertThat(server.getRequestCount()).as("no n=3 request after the fallback").isEqualTo(8);
    for (int i = 0; i < 3; i++) {
      assertThat(MockHttp.body(take()).get("n").asInt()).isEqualTo(1);
    }
  }

  @Test
  void serverThatIgnoresNIsFilledUpAndUsageAddsUp() throws Exception {
    server.setDispatcher(new FakeServer(FakeServer.NMode.IGNORE));
    OpenAiCompatibleModel m = model(b -> { });

    ChatResponse r = m.chat(request(3, 10L));

    assertThat(r.choices()).hasSize(3);
    assertThat(r.texts()).doesNotHaveDuplicates();
    assertThat(r.choices()).extracting(c -> c.index()).containsExactly(0, 1, 2);
    assertThat(m.singleChoiceFallback()).isTrue();
    // FakeServer bills 10 prompt tokens and seed-dependent completion tokens per request.
    List<JsonNode> bodies = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      bodies.add(MockHttp.body(take()));
    }
    long completion = bodies.stream().mapToLong(b -> FakeServer.completionTokens(b)).sum();
    assertThat(r.usage()).isEqualTo(new TokenUsage(30, completion, 3));
    assertThat(bodies.stream().map(b -> b.get("seed").asLong()))
        .containsExactlyInAnyOrder(10L, 11L, 12L);

    m.chat(request(2, 1L));
    assertThat(MockHttp.body(take()).get("n").asInt()).as("remembered").isEqualTo(1);
  }

  @Test
  void concurrentRequestsAllGetNChoicesWhileTheFallbackIsLearnt() throws Exception {
    server.setDispatcher(new FakeServer(FakeServer.NMode.REFUSE));
    OpenAiCompatibleModel m = model(b -> b.maxConcurrentRequests(4));
    List<CompletableFuture<ChatResponse>> all = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      all.add(m.chatAsync(request(3, 1000L * i)));
    }
    for (int i = 0; i < all.size(); i++) {
      ChatResponse r = all.get(i).get(10, TimeUnit.SECONDS);
      assertThat(r.texts()).containsExactly("answer for seed " + 1000L * i,
          "answer for seed " + (1000L * i + 1), "answer for seed " + (1000L * i + 2));
      assertThat(r.usage().requests()).isEqualTo(3);
    }
    assertThat(m.singleChoiceFallback()).isTrue();
    assertThat(m.peakRequestsInFlight()).isLessThanOrEqualTo(4);
  }

  @Test
  void retriesOn429HonouringRetryAfterThenSucceeds() throws Exception {
    server.enqueue(MockHttp.json(429, "{\"error\":{\"message\":\"slow down\"}}")
        .setHeader("Retry-After", "3"));
    server.enqueue(ChatJson.completion(List.of("fine"), 1, 1));

    ChatResponse r = model(b -> b.maxRetries(2)).chat(request(1, 1L));

    assertThat(r.text()).isEqualTo("fine");
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void persistent429BecomesRateLimitedWithRetryAfter() {
    for (int i = 0; i < 2; i++) {
      server.enqueue(MockHttp.json(429, "{\"error\":{\"message\":\"quota\"}}")
          .setHeader("Retry-After", "2"));
    }
    assertThatThrownBy(() -> model(b -> b.maxRetries(1)).chat(request(1, 1L)))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> {
          assertThat(e.isRetryable()).isTrue();
          assertThat(e.statusCode()).isEqualTo(429);
          assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
          assertThat(e.responseBody()).contains("quota");
        });
  }

  @Test
  void retriesOn500ThenSucceeds() {
    server.enqueue(MockHttp.json(500, "{\"error\":{\"message\":\"engine restarting\"}}"));
    server.enqueue(ChatJson.completion(List.of("back"), 1, 1));

    ChatResponse r = model(b -> { }).chat(request(1, 1L));

    assertThat(r.text()).isEqualTo("back");
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(sleeps).hasSize(1);
  }

  @Test
  void unauthorizedIsNotRetriedAndHidesTheKey() {
    server.enqueue(MockHttp.json(401,
        "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}"));

    assertThatThrownBy(() -> model(b -> { }).chat(request(2, 1L)))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> {
          assertThat(e.isRetryable()).isFalse();
          assertThat(e.statusCode()).isEqualTo(401);
          assertThat(e.responseBody()).contains("Incorrect API key").doesNotContain(KEY);
          assertNoKeyAnywhere(e);
        });
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void unknownModelIsNotRetriedAndHidesTheKey() {
    server.enqueue(MockHttp.json(404,
        "{\"error\":{\"message\":\"The model `nope` does not exist.\",\"code\":404}}"));

    assertThatThrownBy(() -> model(b -> { }).chat(request(1, 1L)))
        .isInstanceOfSatisfying(ModelNotFoundException.class, e -> {
          assertThat(e.isRetryable()).isFalse();
          assertThat(e.statusCode()).isEqualTo(404);
          assertThat(e.getMessage()).contains("does not exist").contains("ModelProbe");
          assertNoKeyAnywhere(e);
        });
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
      "400, BadRequestException", "401, AuthenticationException",
      "403, AuthenticationException", "404, ModelNotFoundException",
      "422, BadRequestException", "429, RateLimitedException",
      "500, ServerErrorException", "503, ServerErrorException"})
  void mapsEachStatusThroughTheSdk(int status, String type) {
    server.enqueue(MockHttp.json(status, "{\"error\":{\"message\":\"status " + status
        + " for " + KEY + "\"}}"));
    assertThatThrownBy(() -> model(b -> b.maxRetries(0)).chat(request(1, 1L)))
        .satisfies(e -> {
          assertThat(e.getClass().getSimpleName()).isEqualTo(type);
          assertThat(((HttpStatusException) e).statusCode()).isEqualTo(status);
          assertThat(((HttpStatusException) e).responseBody()).contains("status " + status);
          assertNoKeyAnywhere(e);
        });
  }

  @Test
  void badRequestIsNotRetried() {
    server.enqueue(MockHttp.json(400, "{\"error\":{\"message\":\"max_tokens too large\"}}"));
    assertThatThrownBy(() -> model(b -> { }).chat(request(1, 1L)))
        .isInstanceOfSatisfying(BadRequestException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.getMessage()).contains("max_tokens too large");
        });
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void readTimeoutIsRetriableAndBounded() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    OpenAiCompatibleModel m = model(b -> b.readTimeout(Duration.ofMillis(300)).maxRetries(1));

    assertThatThrownBy(() -> m.chat(request(1, 1L)))
        .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
          assertThat(e.isRetryable()).isTrue();
          assertThat(e.getMessage()).contains("timed out").contains("2 attempt");
          assertNoKeyAnywhere(e);
        });
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void bodyCutMidJsonIsMalformedWithTheRawText() {
    String cut = "{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"content\":\"hal";
    server.enqueue(MockHttp.json(200, cut));
    assertThatThrownBy(() -> model(b -> { }).chat(request(1, 1L)))
        .isInstanceOfSatisfying(MalformedResponseException.class, e -> {
          assertThat(e.rawText()).isEqualTo(cut);
          assertThat(e.getMessage()).contains("not complete JSON");
        });
  }

  @Test
  void bodyWithoutChoicesIsMalformed() {
    server.enqueue(MockHttp.json(200, "{\"object\":\"error\",\"message\":\"oops\"}"));
    assertThatThrownBy(() -> model(b -> { }).chat(request(1, 1L)))
        .isInstanceOfSatisfying(MalformedResponseException.class, e -> {
          assertThat(e.rawText()).contains("oops");
          assertThat(e.getMessage()).contains("'choices'");
        });
  }

  @Test
  void unreachableServerIsAConnectionFailure() throws IOException {
    String url = server.url("/v1").toString();
    server.shutdown();
    OpenAiCompatibleModel m = model(b -> b.baseUrl(url).maxRetries(0));
    assertThatThrownBy(() -> m.chat(request(1, 1L)))
        .isInstanceOf(ConnectionFailedException.class)
        .hasMessageContaining(url);
  }

  @Test
  void boundsRequestsInFlight() throws Exception {
    FakeServer fake = new FakeServer(FakeServer.NMode.IGNORE).withDelayMillis(50);
    server.setDispatcher(fake);
    OpenAiCompatibleModel m = model(b -> b.maxConcurrentRequests(2));

    List<CompletableFuture<ChatResponse>> all = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      all.add(m.chatAsync(request(1, (long) i)));
    }
    for (CompletableFuture<ChatResponse> f : all) {
      assertThat(f.get(10, TimeUnit.SECONDS).choices()).hasSize(1);
    }
    assertThat(fake.peakInFlight()).isBetween(1, 2);
    assertThat(m.peakRequestsInFlight()).isEqualTo(2);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void letsMoreThanTheSdkDefaultOf64RequestsBeInFlightAtOnce() throws Exception {
    // Held requests are answered before the client's time limit, so none is retried.
    GatheringDispatcher gather = new GatheringDispatcher(100, 15_000,
        r -> ChatJson.completion(List.of("together"), 3, 1));
    server.setDispatcher(gather);
    OpenAiCompatibleModel m = model(b -> b.maxConcurrentRequests(100)
        .timeout(Duration.ofSeconds(40)));

    List<CompletableFuture<ChatResponse>> all = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      all.add(m.chatAsync(request(1, (long) i)));
    }
    for (CompletableFuture<ChatResponse> f : all) {
      assertThat(f.get(50, TimeUnit.SECONDS).texts()).containsExactly("together");
    }
    assertThat(gather.answeredTogether()).as("requests held while all 100 arrived").isEqualTo(100);
    assertThat(m.peakRequestsInFlight()).isEqualTo(100);
    assertThat(server.getRequestCount()).isEqualTo(100);
  }

  @Test
  void builderNamesTheBadField() {
    assertThatThrownBy(() -> OpenAiCompatibleModel.builder().model("m").build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("baseUrl");
    assertThatThrownBy(() -> OpenAiCompatibleModel.builder().baseUrl("localhost:8000")
        .model("m").build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("'localhost:8000'");
    assertThatThrownBy(() -> OpenAiCompatibleModel.builder().baseUrl("http://h:1").build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("model");
    assertThatThrownBy(() -> OpenAiCompatibleModel.builder().baseUrl("http://h:1").model("m")
        .maxConcurrentRequests(0).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("got 0");
    assertThatThrownBy(() -> OpenAiCompatibleModel.builder().baseUrl("http://h:1").model("m")
        .timeout(Duration.ZERO).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("timeout");
  }

  @Test
  void toStringHidesTheKey() {
    assertThat(model(b -> { }).toString()).doesNotContain(KEY).contains("***");
  }

  private static void assertNoKeyAnywhere(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY);
      assertThat(t.toString()).doesNotContain(KEY);
      if (t instanceof TpoException && t instanceof HttpStatusException) {
        assertThat(((HttpStatusException) t).responseBody()).doesNotContain(KEY);
      }
    }
  }
}
