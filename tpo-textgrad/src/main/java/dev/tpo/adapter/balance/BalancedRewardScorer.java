package dev.tpo.adapter.balance;

import dev.tpo.core.error.Futures;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.ScoredBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RewardScorer} over several reward servers of the same reward model: each scoring call
 * goes to the healthy endpoint with the fewest outstanding calls, under a per-endpoint cap; an
 * endpoint that fails several times in a row (connection failures, 5xx) is taken out and probed
 * back in later; a call that failed on its endpoint that way is sent again to another one. Reward
 * calls carry no prefix worth caching, so they are not kept on one endpoint per run. See {@link
 * BalancedLanguageModel} for the rules, which are the same.
 *
 * <p>Thread-safe: share one instance; {@link #close()} closes the endpoints.
 */
public final class BalancedRewardScorer implements RewardScorer, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BalancedRewardScorer.class);
  private static final ExecutorService CALLS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "tpo-balanced-reward");
    t.setDaemon(true);
    return t;
  });
  private final EndpointPool<RewardScorer> pool;
  private final String name;
  private final boolean closeEndpoints;

  private BalancedRewardScorer(Builder b) {
    List<EndpointPool.Member<RewardScorer>> members = new ArrayList<>();
    for (Map.Entry<String, RewardScorer> e : b.endpoints.entrySet()) {
      members.add(new EndpointPool.Member<>(e.getKey(), e.getValue()));
    }
    this.pool = b.pool(members, false, "reward scoring");
    this.name = members.get(0).target.name();
    this.closeEndpoints = b.closeEndpoints;
  }

  /**
   * A new builder.
   *
   * @return a builder with the defaults stated on its setters
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Scores on the chosen endpoint. The call itself runs on a daemon thread of this scorer, so that
   * a call queued behind the per-endpoint cap never runs on the thread that released the slot.
   */
  @Override
  public ScoredBatch scoreAll(String prompt, List<String> responses) {
    CompletableFuture<ScoredBatch> f = pool.submit(RunAffinity.current(),
        (s, label) -> CompletableFuture.supplyAsync(() -> s.scoreAll(prompt, responses), CALLS))
        .thenApply(EndpointPool.Served::value);
    return Futures.join(f);
  }

  @Override
  public String name() {
    return name;
  }

  /** The first endpoint's maximum: every endpoint serves the same reward model. */
  @Override
  public OptionalDouble maxScore() {
    return pool.members().get(0).target.maxScore();
  }

  /** @return a snapshot of each endpoint's load and state, in the order they were added */
  public List<EndpointStatus> endpoints() {
    return pool.status();
  }

  /** Closes the endpoints that are {@link AutoCloseable}, unless told not to. Idempotent. */
  @Override
  public void close() {
    if (!closeEndpoints) {
      return;
    }
    for (EndpointPool.Member<RewardScorer> m : pool.members()) {
      if (m.target instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.warn("closing the endpoint {} failed: {}", m.label, e.toString());
        }
      }
    }
  }

  @Override
  public String toString() {
    return "BalancedRewardScorer" + pool.status().stream().map(EndpointStatus::label).toList();
  }

  /**
   * Builds a {@link BalancedRewardScorer}; {@link #build()} validates every field. Not
   * thread-safe.
   */
  public static final class Builder extends BalancerBuilder<RewardScorer, Builder> {
    private Builder() {}

    /**
     * Validates and builds.
     *
     * @return the balanced scorer
     * @throws dev.tpo.core.error.ConfigurationException naming the bad setting
     */
    public BalancedRewardScorer build() {
      validate("BalancedRewardScorer");
      return new BalancedRewardScorer(this);
    }
  }
}
