package dev.tpo.adapter.reward;

import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.ScoredBatch;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link RewardScorer} whose work is asynchronous (concurrent HTTP requests): {@link #scoreAll}
 * waits for {@link #scoreAsync(String, List)} and rethrows its real failure (not wrapped in a
 * {@link java.util.concurrent.CompletionException}). Thread-safe if the subclass is.
 */
abstract class AsyncRewardScorer implements RewardScorer {
  /** For subclasses. */
  AsyncRewardScorer() {}

  @Override
  public final ScoredBatch scoreAll(String prompt, List<String> responses) {
    return Blocking.join(scoreAsync(prompt, responses));
  }

  /**
   * Starts scoring every response.
   *
   * @param prompt the user's query
   * @param responses the candidate responses
   * @return a future completed with the scores and the usage, or exceptionally with the failure
   */
  abstract CompletableFuture<ScoredBatch> scoreAsync(String prompt, List<String> responses);
}
