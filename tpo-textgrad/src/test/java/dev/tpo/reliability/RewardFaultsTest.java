package dev.tpo.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.PoolEntry;
import dev.tpo.TpoResult;
import dev.tpo.core.error.BadRequestException;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.RewardScoringException;
import dev.tpo.core.error.ServerErrorException;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorers;
import dev.tpo.simulator.Fault;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Faults of the reward endpoint (vLLM {@code /pooling}, one request per conversation) through
 * {@code Tpo.optimize} with the real vLLM scorer over loopback HTTP: NaN, too few scores, an
 * error, a hang. Timeouts are 1.5 s and retries wait nothing.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RewardFaultsTest {
  private static final String PROMPT = "How do I keep basil alive indoors?";
  private static final String POOLING = SimulatedOpenAiServer.POOLING_PATH;

  @Test
  void aNanScoreFailsTheRunWithRewardScoringNamingTheScorerAndResponse() {
    try (Harness h = new Harness()) {
      h.server.faults(POOLING).enqueue(Fault.rewardNaN());
      assertThatThrownBy(() -> h.tpo().build().optimize(PROMPT))
          .isInstanceOf(RewardScoringException.class)
          .hasMessageContaining("vllm/pooling@" + h.server.baseUrl())
          .hasMessageMatching("(?s).*got NaN for response #\\d.*")
          .hasMessageContaining("scores must be finite");
      assertThat(h.failures).singleElement();
    }
  }

  @Test
  void tooFewScoresFailTheRunWithRewardScoringNamingTheMissingOne() {
    try (Harness h = new Harness()) {
      h.server.faults(POOLING).enqueue(Fault.rewardTooFew());
      assertThatThrownBy(() -> h.tpo().build().optimize(PROMPT))
          .isInstanceOf(RewardScoringException.class)
          .hasMessageMatching("(?s).*got no score for response #\\d.*")
          .hasMessageContaining("reward (classification) model");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "vllm+%s?model=sim-reward, /pooling",
      "vllm+%s/classify?model=sim-reward, /classify",
      "tei+%s, /predict"})
  void nanAndTooFewScoresFailClearlyOnEveryHttpScorer(String spec, String path) {
    try (Harness h = new Harness()) {
      RewardScorer scorer = RewardScorers.fromSpec(String.format(spec, h.server.baseUrl()),
          RewardScorerContext.DEFAULT.withApiKey(Harness.API_KEY));
      h.server.faults(path).enqueue(Fault.rewardNaN());
      assertThatThrownBy(() -> h.tpo().scorer(scorer).build().optimize(PROMPT))
          .isInstanceOf(RewardScoringException.class).hasMessageContaining("NaN")
          .hasMessageContaining(h.server.baseUrl());
      h.server.faults(path).enqueue(Fault.rewardTooFew());
      assertThatThrownBy(() -> h.tpo().scorer(scorer).build().optimize(PROMPT))
          .isInstanceOf(RewardScoringException.class).hasMessageContaining("no score");
      assertThat(h.tpo().scorer(scorer).build().optimize(PROMPT).pool()).hasSize(4);
    }
  }

  @Test
  void aJudgeWhoseRepliesHoldNoRatingScoresTheLowestWithAWarningQuotingTheReply() {
    try (Harness h = new Harness()) {
      // the simulator answers a rating request with plain text, as a weak judge model might
      RewardScorer judge = RewardScorers.fromSpec("judge",
          RewardScorerContext.DEFAULT.withJudgeModel(h.policy));
      TpoResult r = h.tpo().scorer(judge).build().optimize(PROMPT);
      assertThat(r.pool()).isNotEmpty().allSatisfy(e -> assertThat(e.score()).isZero());
      assertThat(r.warnings()).anySatisfy(w -> assertThat(w)
          .contains("reward scorer 'judge(sim-model)' found no rating from 0 to 10")
          .contains("after asking twice; they score 0, the lowest. Last reply: 'Simulated answer")
          .contains("follows instructions"));
      assertThat(((dev.tpo.adapter.reward.JudgeRewardScorer) judge).unratedResponses())
          .isEqualTo(r.pool().size());
    }
  }

  @Test
  void a429WithoutRetryAfterIsRetriedAndTheRunSucceeds() {
    try (Harness h = new Harness()) {
      h.server.faults(POOLING).enqueue(Fault.rateLimited());
      assertThat(h.tpo().build().optimize(PROMPT).pool()).hasSize(4);
      assertThat(h.server.requests(POOLING)).hasSize(5);
    }
  }

  @Test
  void a429WithRetryAfterIsRetriedAfterTheServersDelayAndTheRunSucceeds() {
    try (Harness h = new Harness()) {
      h.server.faults(POOLING).enqueue(Fault.rateLimited(Duration.ofSeconds(1)));
      long start = System.nanoTime();
      assertThat(h.tpo().build().optimize(PROMPT).pool()).hasSize(4);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("waited the 1 s the server asked for").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }
  }

  @Test
  void aServerErrorIsRetriedAndTheRunSucceeds() {
    try (Harness h = new Harness()) {
      h.server.faults(POOLING).enqueue(Fault.status(503));
      TpoResult r = h.tpo().build().optimize(PROMPT);
      assertThat(r.pool()).hasSize(4).extracting(PoolEntry::text).doesNotHaveDuplicates();
      assertThat(h.server.requests(POOLING)).hasSize(5);
    }
  }

  @Test
  void aServerErrorOnEveryAttemptFailsWithServerErrorNamingTheUrl() {
    try (Harness h = new Harness(SimulatedOpenAiServer.builder(), 0)) {
      h.server.faults(POOLING).enqueue(Fault.status(500));
      assertThatThrownBy(() -> h.tpo().build().optimize(PROMPT))
          .isInstanceOfSatisfying(ServerErrorException.class,
              e -> assertThat(e.statusCode()).isEqualTo(500))
          .hasMessageContaining(h.server.baseUrl() + "/pooling")
          .hasMessageContaining("HTTP 500");
    }
  }

  @Test
  void aBadRequestIsNotRetriedAndFailsWithTheServersMessage() {
    try (Harness h = new Harness()) {
      h.server.faults(POOLING).enqueue(Fault.status(400));
      assertThatThrownBy(() -> h.tpo().build().optimize(PROMPT))
          .isInstanceOf(BadRequestException.class)
          .hasMessageContaining("HTTP 400")
          .hasMessageContaining("simulated failure with HTTP 400");
    }
  }

  @Test
  void aHangingRewardRequestTimesOutIsRetriedAndTheRunSucceeds() {
    try (Harness h = new Harness()) {
      h.server.faults(POOLING).enqueue(Fault.hang(Duration.ofSeconds(5)));
      TpoResult r = h.tpo().build().optimize(PROMPT);
      assertThat(r.pool()).hasSize(4);
      assertThat(h.server.requests(POOLING)).hasSize(5);
    }
  }

  @Test
  void aRewardEndpointThatAlwaysHangsFailsWithinTheTimeoutsAsTimedOut() {
    try (Harness h = new Harness()) {
      h.server.faults(POOLING).withProbability(1.0, Fault.hang(Duration.ofSeconds(20)));
      assertThatThrownBy(() -> h.tpo().build().optimize(PROMPT))
          .isInstanceOf(ConnectionFailedException.class)
          .hasMessageContaining("timed out")
          .hasMessageContaining(h.server.baseUrl() + "/pooling");
    }
  }

  @Test
  void aDroppedRewardConnectionIsRetriedAndTheRunSucceeds() {
    try (Harness h = new Harness()) {
      h.server.faults(POOLING).enqueue(Fault.closeConnection());
      assertThat(h.tpo().build().optimize(PROMPT).pool()).hasSize(4);
    }
  }
}
