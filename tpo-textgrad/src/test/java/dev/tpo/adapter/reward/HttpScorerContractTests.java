package dev.tpo.adapter.reward;

import dev.tpo.adapter.reward.FakeRewardServer.Shape;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.testing.RewardScorerContractTest;
import java.io.IOException;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Nested;

/** Runs tpo-core's {@link RewardScorerContractTest} on every HTTP scorer over loopback HTTP. */
class HttpScorerContractTests {

  /** A contract test whose scorer talks to a fresh fake server. */
  abstract static class OverHttp extends RewardScorerContractTest {
    private MockWebServer server;

    abstract Shape shape();

    abstract RewardScorer scorer(String baseUrl);

    @Override
    protected RewardScorer createScorer() throws IOException {
      server = new MockWebServer();
      server.setDispatcher(new FakeRewardServer(shape()));
      server.start();
      return scorer(server.url("/").toString());
    }

    @Override
    protected void closeScorer(RewardScorer scorer) throws IOException {
      server.shutdown();
    }
  }

  @Nested
  class VllmPooling extends OverHttp {
    @Override
    Shape shape() {
      return Shape.POOLING_LIST;
    }

    @Override
    RewardScorer scorer(String baseUrl) {
      return VllmRewardScorer.builder().baseUrl(baseUrl).build();
    }
  }

  @Nested
  class VllmClassify extends OverHttp {
    @Override
    Shape shape() {
      return Shape.CLASSIFY_PROBS;
    }

    @Override
    RewardScorer scorer(String baseUrl) {
      return VllmRewardScorer.builder().baseUrl(baseUrl)
          .endpoint(VllmRewardScorer.Endpoint.CLASSIFY).batchSize(3).build();
    }
  }

  @Nested
  class Tei extends OverHttp {
    @Override
    Shape shape() {
      return Shape.TEI;
    }

    @Override
    RewardScorer scorer(String baseUrl) {
      return TeiRewardScorer.builder().baseUrl(baseUrl).build();
    }
  }
}
