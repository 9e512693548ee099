package dev.tpo.adapter.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.adapter.http.MockHttp;
import dev.tpo.adapter.http.MockServerTest;
import dev.tpo.adapter.reward.FakeRewardServer.Shape;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.RewardScoringException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TeiRewardScorerTest extends MockServerTest {
  private static final String PROMPT = "Why is the sky blue?";
  private TeiRewardScorer.Builder builder() {
    return TeiRewardScorer.builder().baseUrl(server.url("/").toString())
        .retryBackoff(Duration.ofMillis(1));
  }

  @Test
  void predictRequestMatchesTheCheckedInJson() throws Exception {
    server.setDispatcher(new FakeRewardServer(Shape.TEI));
    builder().build().score(PROMPT, List.of("Rayleigh scattering.", "Because."));
    RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(sent.getPath()).isEqualTo("/predict");
    assertThat(MockHttp.body(sent))
        .isEqualTo(MockHttp.resource(TeiRewardScorerTest.class, "tei-predict-request.json"));
  }

  @Test
  void scoresInInputOrderAcrossBatches() {
    server.setDispatcher(new FakeRewardServer(Shape.TEI));
    List<String> many = List.of("a", "bb blue", "ccc", "dddd green", "eeeee");
    List<Double> scores = builder().batchSize(2).build().score(PROMPT, many);
    assertThat(scores).containsExactlyElementsOf(
        many.stream().map(FakeRewardServer::reward).toList());
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void readsAFlatAnswerForASingleInput() {
    server.enqueue(json("[{\"score\":2.5,\"label\":\"LABEL_0\"}]"));
    assertThat(builder().build().score(PROMPT, List.of("x"))).containsExactly(2.5);
  }

  @Test
  void picksTheConfiguredLabelAmongSeveral() {
    String twoLabels = "[[{\"score\":3.0,\"label\":\"POSITIVE\"},{\"score\":-3.0,\"label\":"
        + "\"NEGATIVE\"}]]";
    server.enqueue(json(twoLabels));
    server.enqueue(json(twoLabels));
    assertThat(builder().label("NEGATIVE").build().score(PROMPT, List.of("x")))
        .containsExactly(-3.0);
    assertThatThrownBy(() -> builder().build().score(PROMPT, List.of("x")))
        .isInstanceOf(RewardScoringException.class).hasMessageContaining("label(");
  }

  @Test
  void rejectsANullOrMissingScoreNamingTheIndex() {
    server.setDispatcher(new FakeRewardServer(Shape.TEI));
    assertThatThrownBy(() -> builder().build().score(PROMPT, List.of("ok", "NAN")))
        .isInstanceOf(RewardScoringException.class)
        .hasMessageContaining("tei@").hasMessageContaining("response #1");
    assertThatThrownBy(() -> builder().build().score(PROMPT, List.of("MISSING", "ok")))
        .isInstanceOf(RewardScoringException.class).hasMessageContaining("response #0");
  }

  @Test
  void aSilentServerTimesOutRetriablyAfterTheRetries() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    TeiRewardScorer scorer = builder().timeout(Duration.ofMillis(300)).maxRetries(1).build();
    assertThatThrownBy(() -> scorer.score(PROMPT, List.of("x")))
        .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
          assertThat(e.isRetryable()).isTrue();
          assertThat(e.getMessage()).contains("timed out").contains("/predict");
        });
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void sendsFormattedTextWhenATemplateIsSet() throws Exception {
    server.enqueue(json("[[{\"score\":1.0,\"label\":\"LABEL_0\"}]]"));
    builder().inputTemplate("Q: {prompt}\nA: {response}").truncate(false).build()
        .score(PROMPT, List.of("x"));
    RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(MockHttp.body(sent).get("inputs").get(0).asText())
        .isEqualTo("Q: " + PROMPT + "\nA: x");
    assertThat(MockHttp.body(sent).get("truncate").asBoolean()).isFalse();
  }

  private static MockResponse json(String body) {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
  }
}
