package dev.tpo.adapter.balance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorers;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The balanced reward scorer over two simulated vLLM reward servers, one killed mid-batch. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BalancedRewardScorerTest {
  private final List<SimulatedOpenAiServer> servers = new ArrayList<>();
  private BalancedRewardScorer scorer;

  @AfterEach
  void tearDown() {
    if (scorer != null) {
      scorer.close();
    }
    servers.forEach(SimulatedOpenAiServer::close);
  }

  @Test
  void spreadsScoringAndLosesNoBatchWhenAServerDies() throws Exception {
    BalancedRewardScorer.Builder b = BalancedRewardScorer.builder().maxConcurrentPerEndpoint(4);
    for (int i = 0; i < 2; i++) {
      SimulatedOpenAiServer s = SimulatedOpenAiServer.builder()
          .rewardLatency(Duration.ofMillis(150)).start();
      servers.add(s);
      b.endpoint(s.baseUrl(), RewardScorers.fromSpec("vllm+" + s.baseUrl() + "?model=sim-reward",
          RewardScorerContext.DEFAULT.withMaxRetries(0)));
    }
    scorer = b.build();
    RewardScorer reference = RewardScorers.fromSpec(
        "vllm+" + servers.get(0).baseUrl() + "?model=sim-reward", RewardScorerContext.DEFAULT);

    ExecutorService callers = Executors.newFixedThreadPool(24);
    List<CompletableFuture<List<Double>>> all = IntStream.range(0, 24)
        .mapToObj(i -> CompletableFuture.supplyAsync(
            () -> scorer.score("prompt " + i, List.of("answer " + i)), callers))
        .toList();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (scorer.endpoints().stream().anyMatch(e -> e.inFlight() < 4)
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(scorer.endpoints()).allSatisfy(e -> assertThat(e.inFlight()).isEqualTo(4));
    Thread.sleep(50);
    servers.get(1).close();

    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).join())
          .isEqualTo(reference.score("prompt " + i, List.of("answer " + i)));
    }
    assertThat(scorer.endpoints().get(1).state()).isEqualTo(EndpointState.EJECTED);
    assertThat(scorer.endpoints().stream().mapToLong(EndpointStatus::served).sum()).isEqualTo(24);
    callers.shutdown();
  }
}
