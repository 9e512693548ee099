package dev.tpo.benchmarks;

import dev.tpo.Tpo;
import dev.tpo.TpoResult;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.adapter.reward.VllmRewardScorer;
import dev.tpo.core.reward.RewardScorer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * Whole TPO runs (mode {@code tpo}, D=2, N=5, the paper's sampling settings) through the public
 * API: {@link OpenAiCompatibleModel} as the policy, {@link VllmRewardScorer} as the scorer, both
 * against the simulator.
 *
 * <p>Thread-safe.
 */
final class TpoDriver implements RunDriver {
  static final int DEPTH = 2;
  static final int SAMPLES = 5;

  private final OpenAiCompatibleModel policy;
  private final Tpo tpo;

  /**
   * A driver with HTTP limits suited to {@code concurrency} runs in flight.
   *
   * @param baseUrl the simulator's base URL
   * @param concurrency the most runs the benchmark keeps in flight
   * @param endpoint the vLLM reward endpoint to use
   * @param wrap wraps the scorer (identity for none)
   */
  TpoDriver(String baseUrl, int concurrency, VllmRewardScorer.Endpoint endpoint,
      UnaryOperator<RewardScorer> wrap) {
    this.policy = OpenAiCompatibleModel.builder()
        .baseUrl(baseUrl)
        .model("sim-model")
        .maxConcurrentRequests(Math.max(64, concurrency))
        .timeout(Duration.ofMinutes(10))
        .build();
    RewardScorer scorer = VllmRewardScorer.builder()
        .baseUrl(baseUrl)
        .model("sim-reward")
        .endpoint(endpoint)
        .maxConcurrentRequests(Math.max(16, concurrency * SAMPLES))
        .timeout(Duration.ofMinutes(10))
        .build();
    this.tpo = Tpo.builder()
        .policy(policy)
        .scorer(wrap.apply(scorer))
        .samples(SAMPLES)
        .iterations(DEPTH)
        .build();
  }

  TpoDriver(String baseUrl, int concurrency) {
    this(baseUrl, concurrency, VllmRewardScorer.Endpoint.POOLING, UnaryOperator.identity());
  }

  /** @return the policy model */
  OpenAiCompatibleModel policy() {
    return policy;
  }

  /** @return the TPO instance */
  Tpo tpo() {
    return tpo;
  }

  @Override
  public CompletableFuture<TpoResult> start(String prompt) {
    return tpo.optimizeAsync(prompt);
  }

  @Override
  public String name() {
    return "TPO";
  }

  @Override
  public void close() {
    policy.close();
  }
}
