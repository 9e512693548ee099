package dev.tpo.adapter.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tpo.adapter.http.GatheringDispatcher;
import dev.tpo.adapter.http.MockHttp;
import dev.tpo.adapter.http.MockServerTest;
import dev.tpo.adapter.reward.FakeRewardServer.Shape;
import dev.tpo.adapter.reward.VllmRewardScorer.Endpoint;
import dev.tpo.core.error.AuthenticationException;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.error.ModelNotFoundException;
import dev.tpo.core.error.RewardScoringException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VllmRewardScorerTest extends MockServerTest {
  private static final String KEY = "rm-key-7c1d";
  private static final String PROMPT = "Why is the sky blue?";
  private static final List<String> RESPONSES = List.of(
      "Rayleigh scattering makes the sky blue.", "Because.", "The sky is green, obviously.",
      "Shorter wavelengths scatter more in air, so blue light reaches us from every direction.");

  private VllmRewardScorer scorer(Endpoint endpoint) {
    return VllmRewardScorer.builder().baseUrl(server.url("/").toString()).endpoint(endpoint)
        .model("rm").apiKey(KEY).retryBackoff(Duration.ofMillis(1)).build();
  }

  private static List<Double> expected(List<String> responses) {
    return responses.stream().map(FakeRewardServer::reward).toList();
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r).isNotNull();
    return r;
  }

  @Test
  void poolingRequestMatchesTheCheckedInJson() throws Exception {
    server.setDispatcher(new FakeRewardServer(Shape.POOLING_LIST));
    scorer(Endpoint.POOLING).score(PROMPT, List.of("Rayleigh scattering."));
    RecordedRequest sent = take();
    assertThat(sent.getPath()).isEqualTo("/pooling");
    assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(MockHttp.body(sent))
        .isEqualTo(MockHttp.resource(VllmRewardScorerTest.class, "vllm-pooling-request.json"));
  }

  @Test
  void classifyRequestMatchesTheCheckedInJson() throws Exception {
    server.setDispatcher(new FakeRewardServer(Shape.CLASSIFY_PROBS));
    scorer(Endpoint.CLASSIFY).score(PROMPT, List.of("Rayleigh scattering.", "Because."));
    RecordedRequest sent = take();
    assertThat(sent.getPath()).isEqualTo("/classify");
    assertThat(MockHttp.body(sent))
        .isEqualTo(MockHttp.resource(VllmRewardScorerTest.class, "vllm-classify-request.json"));
  }

  @ParameterizedTest
  @EnumSource(value = Shape.class, names = {"POOLING_LIST", "POOLING_SCALAR", "POOLING_TOKENS"})
  void readsPoolingAnswersOfSeveralVersions(Shape shape) {
    server.setDispatcher(new FakeRewardServer(shape));
    List<Double> scores = scorer(Endpoint.POOLING).score(PROMPT, RESPONSES);
    assertThat(scores).containsExactlyElementsOf(expected(RESPONSES));
    assertThat(server.getRequestCount()).as("one request per response").isEqualTo(4);
  }

  @ParameterizedTest
  @EnumSource(value = Shape.class, names = {"CLASSIFY_PROBS", "CLASSIFY_LOGITS"})
  void readsClassifyAnswersOfSeveralVersionsInInputOrder(Shape shape) {
    server.setDispatcher(new FakeRewardServer(shape)); // answers in reverse order
    List<Double> scores = scorer(Endpoint.CLASSIFY).score(PROMPT, RESPONSES);
    assertThat(scores).containsExactlyElementsOf(expected(RESPONSES));
    assertThat(server.getRequestCount()).as("one batched request").isEqualTo(1);
  }

  @Test
  void classifySplitsBatchesAndKeepsOrder() {
    server.setDispatcher(new FakeRewardServer(Shape.CLASSIFY_LOGITS));
    VllmRewardScorer s = VllmRewardScorer.builder().baseUrl(server.url("/").toString())
        .endpoint(Endpoint.CLASSIFY).batchSize(3).build();
    List<String> many = List.of("a", "bb blue", "ccc", "dddd", "eeeee green", "f", "gg");
    assertThat(s.score(PROMPT, many)).containsExactlyElementsOf(expected(many));
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void poolingSendsTheBatchConcurrently() {
    FakeRewardServer fake = new FakeRewardServer(Shape.POOLING_LIST).withDelayMillis(150);
    server.setDispatcher(fake);
    scorer(Endpoint.POOLING).score(PROMPT, RESPONSES);
    assertThat(fake.peakInFlight()).isGreaterThan(1);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void poolingSendsAHundredRequestsAtOnceWhenAllowed() {
    FakeRewardServer fake = new FakeRewardServer(Shape.POOLING_LIST);
    GatheringDispatcher gather = new GatheringDispatcher(100, 15_000, fake::answer);
    server.setDispatcher(gather);
    VllmRewardScorer s = VllmRewardScorer.builder().baseUrl(server.url("/").toString())
        .endpoint(Endpoint.POOLING).maxConcurrentRequests(100).timeout(Duration.ofSeconds(40))
        .build();
    List<String> many = IntStream.range(0, 100).mapToObj(i -> "answer " + i).toList();

    assertThat(s.score(PROMPT, many)).containsExactlyElementsOf(expected(many));
    assertThat(gather.answeredTogether()).as("requests held while all 100 arrived").isEqualTo(100);
    assertThat(server.getRequestCount()).isEqualTo(100);
  }

  @ParameterizedTest
  @EnumSource(value = Endpoint.class)
  void rejectsNaNNamingTheScorerAndIndex(Endpoint endpoint) {
    server.setDispatcher(new FakeRewardServer(
        endpoint == Endpoint.POOLING ? Shape.POOLING_SCALAR : Shape.CLASSIFY_PROBS));
    assertThatThrownBy(() -> scorer(endpoint).score(PROMPT, List.of("fine", "NAN", "ok")))
        .isInstanceOf(RewardScoringException.class)
        .hasMessageContaining("vllm" + endpoint.path() + "@")
        .hasMessageContaining("response #1")
        .hasMessageContaining("NaN");
  }

  @ParameterizedTest
  @EnumSource(value = Endpoint.class)
  void rejectsAMissingScoreNamingTheIndex(Endpoint endpoint) {
    server.setDispatcher(new FakeRewardServer(
        endpoint == Endpoint.POOLING ? Shape.POOLING_LIST : Shape.CLASSIFY_LOGITS));
    assertThatThrownBy(() -> scorer(endpoint).score(PROMPT, List.of("fine", "ok", "MISSING")))
        .isInstanceOf(RewardScoringException.class)
        .hasMessageContaining("no score for response #2");
  }

  @Test
  void severalClassesNeedAScoreIndex() {
    server.enqueue(json("{\"data\":[{\"index\":0,\"probs\":[0.2,1.7]}]}"));
    server.enqueue(json("{\"data\":[{\"index\":0,\"probs\":[0.2,1.7]}]}"));
    assertThatThrownBy(() -> scorer(Endpoint.CLASSIFY).score(PROMPT, List.of("x")))
        .isInstanceOf(RewardScoringException.class).hasMessageContaining("scoreIndex");
    VllmRewardScorer second = VllmRewardScorer.builder().baseUrl(server.url("/").toString())
        .endpoint(Endpoint.CLASSIFY).scoreIndex(1).build();
    assertThat(second.score(PROMPT, List.of("x"))).containsExactly(1.7);
  }

  @Test
  void retriesA503ThenSucceeds() {
    server.enqueue(new MockResponse().setResponseCode(503).setBody("loading model"));
    server.enqueue(json("{\"data\":[{\"index\":0,\"data\":[0.5]}]}"));
    assertThat(scorer(Endpoint.POOLING).score(PROMPT, List.of("x")).get(0))
        .isCloseTo(0.5, within(1e-12));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void retriesA429AfterItsRetryAfter() {
    server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "0")
        .setBody("busy"));
    server.enqueue(json("{\"data\":[{\"index\":0,\"probs\":[1.25]}]}"));
    assertThat(scorer(Endpoint.CLASSIFY).score(PROMPT, List.of("x"))).containsExactly(1.25);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void missingEndpointSaysHowToStartAPoolingServer() {
    server.enqueue(new MockResponse().setResponseCode(404).setBody("{\"detail\":\"Not Found\"}"));
    assertThatThrownBy(() -> scorer(Endpoint.POOLING).score(PROMPT, List.of("x")))
        .isInstanceOfSatisfying(ModelNotFoundException.class, e -> {
          assertThat(e.getMessage()).contains("/pooling").contains("--runner pooling");
          assertThat(e.statusCode()).isEqualTo(404);
        });
  }

  @Test
  void unauthorizedFailsAtOnceWithoutTheKey() {
    server.enqueue(new MockResponse().setResponseCode(401)
        .setBody("{\"error\":\"bad key " + KEY + "\"}"));
    assertThatThrownBy(() -> scorer(Endpoint.POOLING).score(PROMPT, List.of("x")))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> {
          assertThat(e.getMessage()).doesNotContain(KEY);
          assertThat(e.responseBody()).doesNotContain(KEY);
          assertThat(e.isRetryable()).isFalse();
        });
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void answerWithoutDataIsMalformed() {
    server.enqueue(json("{\"object\":\"error\",\"message\":\"task not supported\"}"));
    assertThatThrownBy(() -> scorer(Endpoint.POOLING).score(PROMPT, List.of("x")))
        .isInstanceOfSatisfying(MalformedResponseException.class,
            e -> assertThat(e.rawText()).contains("task not supported"));
  }

  @Test
  void builderNamesTheBadField() {
    assertThatThrownBy(() -> VllmRewardScorer.builder().build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("baseUrl");
    assertThatThrownBy(() -> VllmRewardScorer.builder().baseUrl("http://h:1").batchSize(0).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("batchSize");
    assertThatThrownBy(() -> VllmRewardScorer.builder().baseUrl("http://h:1")
        .inputTemplate("{prompt} only").build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("{response}");
  }

  private static MockResponse json(String body) {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
  }
}
