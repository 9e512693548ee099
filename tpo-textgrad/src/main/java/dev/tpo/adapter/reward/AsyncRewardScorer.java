package dev.tpo.adapter.reward;

import dev.tpo.core.reward.RewardScorer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link RewardScorer} whose work is asynchronous: {@link #score(String, List)} waits for {@link
 * #scoreAsync(String, List)} and rethrows its real failure (not wrapped in a {@link
 * java.util.concurrent.CompletionException}). Thread-safe if the subclass is.
 */
abstract class AsyncRewardScorer implements RewardScorer {
  /** For subclasses. */
  AsyncRewardScorer() {}

  @Override
  public final List<Double> score(String prompt, List<String> responses) {
    return Blocking.join(scoreAsync(prompt, responses));
  }

  @Override
  public abstract CompletableFuture<List<Double>> scoreAsync(String prompt,
      List<String> responses);
}
