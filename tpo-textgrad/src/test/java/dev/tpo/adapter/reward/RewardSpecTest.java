package dev.tpo.adapter.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.adapter.http.MockHttp;
import dev.tpo.adapter.reward.FakeRewardServer.Shape;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.TpoException;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorerProvider;
import dev.tpo.core.reward.RewardScorers;
import dev.tpo.core.testing.ScriptedLanguageModel;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The reward specs, resolved through RewardScorers.fromSpec and the ServiceLoader. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RewardSpecTest {
  private static final String PROMPT = "Why is the sky blue?";
  private final MockWebServer server = new MockWebServer();
  private String hostPort;

  @BeforeEach
  void start() throws IOException {
    server.start();
    hostPort = server.getHostName() + ":" + server.getPort();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  @Test
  void serviceLoaderFindsTheThreeProviders() {
    assertThat(RewardScorers.providers()).extracting(RewardScorerProvider::name)
        .contains("vllm", "tei", "judge");
  }

  @Test
  void vllmSpecScoresThroughPooling() throws Exception {
    server.setDispatcher(new FakeRewardServer(Shape.POOLING_LIST));
    RewardScorer scorer = RewardScorers.fromSpec("vllm+http://" + hostPort,
        RewardScorerContext.DEFAULT.withApiKey("spec-key"));
    assertThat(scorer).isInstanceOf(VllmRewardScorer.class);
    assertThat(scorer.score(PROMPT, List.of("blue sky"))).containsExactly(
        FakeRewardServer.reward("blue sky"));
    RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(sent.getPath()).isEqualTo("/pooling");
    assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer spec-key");
    assertThat(MockHttp.body(sent).has("model")).isFalse();
  }

  @Test
  void theContextsRetriesReachTheHttpScorer() throws Exception {
    FakeRewardServer fake = new FakeRewardServer(Shape.POOLING_LIST);
    AtomicInteger seen = new AtomicInteger();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        return seen.incrementAndGet() <= 3 ? new MockResponse().setResponseCode(503)
            : fake.dispatch(request);
      }
    });
    String spec = "vllm+http://" + hostPort;
    RewardScorer none = RewardScorers.fromSpec(spec, RewardScorerContext.DEFAULT.withMaxRetries(0));
    assertThatThrownBy(() -> none.score(PROMPT, List.of("blue sky")))
        .isInstanceOf(TpoException.class).hasMessageContaining("503");
    assertThat(seen.get()).isEqualTo(1);
    RewardScorer three = RewardScorers.fromSpec(spec, RewardScorerContext.DEFAULT.withMaxRetries(3));
    assertThat(three.score(PROMPT, List.of("blue sky")))
        .containsExactly(FakeRewardServer.reward("blue sky"));
    assertThat(seen.get()).isEqualTo(4);
    assertThatThrownBy(() -> RewardScorerContext.DEFAULT.withMaxRetries(21))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRetries")
        .hasMessageContaining("21");
  }

  @Test
  void vllmSpecWithClassifyAndModel() throws Exception {
    server.setDispatcher(new FakeRewardServer(Shape.CLASSIFY_PROBS));
    RewardScorer scorer = RewardScorers.fromSpec(
        "vllm+http://" + hostPort + "/classify?model=Skywork%2FReward", RewardScorerContext.DEFAULT);
    assertThat(((VllmRewardScorer) scorer).endpoint())
        .isEqualTo(VllmRewardScorer.Endpoint.CLASSIFY);
    scorer.score(PROMPT, List.of("a", "b"));
    RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(sent.getPath()).isEqualTo("/classify");
    assertThat(MockHttp.body(sent).get("model").asText()).isEqualTo("Skywork/Reward");
  }

  @Test
  void vllmSpecKeepsAPathPrefix() throws Exception {
    server.setDispatcher(new FakeRewardServer(Shape.CLASSIFY_LOGITS));
    RewardScorers.fromSpec("vllm+http://" + hostPort + "/v1/classify", RewardScorerContext.DEFAULT)
        .score(PROMPT, List.of("a"));
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getPath()).isEqualTo("/v1/classify");
  }

  @Test
  void teiSpecScoresThroughPredict() throws Exception {
    server.setDispatcher(new FakeRewardServer(Shape.TEI));
    RewardScorer scorer = RewardScorers.fromSpec("tei+http://" + hostPort,
        RewardScorerContext.DEFAULT);
    assertThat(scorer.score(PROMPT, List.of("x", "blue"))).containsExactly(
        FakeRewardServer.reward("x"), FakeRewardServer.reward("blue"));
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getPath()).isEqualTo("/predict");
  }

  @Test
  void judgeSpecUsesTheContextsJudgeModel() {
    ScriptedLanguageModel model = new ScriptedLanguageModel().thenAnswer("<score>3</score>");
    RewardScorer scorer = RewardScorers.fromSpec(" judge ",
        RewardScorerContext.DEFAULT.withJudgeModel(model));
    assertThat(scorer.score(PROMPT, List.of("x"))).containsExactly(3.0);
  }

  @Test
  void judgeSpecWithoutAJudgeModelSaysHowToSetOne() {
    assertThatThrownBy(() -> RewardScorers.fromSpec("judge", RewardScorerContext.DEFAULT))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("withJudgeModel");
  }

  @Test
  void badSpecsNameTheValueAndTheSyntax() {
    assertThatThrownBy(() -> RewardScorers.fromSpec("vllm+http://" + hostPort + "?modle=x",
        RewardScorerContext.DEFAULT))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'modle'").hasMessageContaining("vllm+http://HOST:PORT");
    assertThatThrownBy(() -> RewardScorers.fromSpec("tei+http://" + hostPort + "/embed",
        RewardScorerContext.DEFAULT))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("/embed");
    assertThatThrownBy(() -> RewardScorers.fromSpec("vllm+http://", RewardScorerContext.DEFAULT))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("vllm+http://");
    assertThatThrownBy(() -> RewardScorers.fromSpec("vllm://host:1", RewardScorerContext.DEFAULT))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("Accepted");
  }
}
