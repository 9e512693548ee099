package dev.tpo.core.reward;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Enforces the {@link RewardScorer} contract around a delegate. Thread-safe if the delegate is. */
final class CheckedRewardScorer implements RewardScorer {
  private final RewardScorer delegate;

  CheckedRewardScorer(RewardScorer delegate) {
    this.delegate = Objects.requireNonNull(delegate, "scorer");
  }

  @Override
  public List<Double> score(String prompt, List<String> responses) {
    List<String> copy = List.copyOf(responses);
    if (copy.isEmpty()) {
      return List.of();
    }
    return ScoreContract.check(name(), copy.size(), delegate.score(prompt, copy));
  }

  @Override
  public CompletableFuture<List<Double>> scoreAsync(String prompt, List<String> responses) {
    List<String> copy = List.copyOf(responses);
    if (copy.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return delegate
        .scoreAsync(prompt, copy)
        .thenApply(scores -> ScoreContract.check(name(), copy.size(), scores));
  }

  @Override
  public CompletableFuture<ScoredBatch> scoreWithUsageAsync(String prompt,
      List<String> responses) {
    List<String> copy = List.copyOf(responses);
    if (copy.isEmpty()) {
      return CompletableFuture.completedFuture(ScoredBatch.of(List.of()));
    }
    return delegate
        .scoreWithUsageAsync(prompt, copy)
        .thenApply(batch -> new ScoredBatch(
            ScoreContract.check(name(), copy.size(), batch == null ? null : batch.scores()),
            batch.usage()));
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public String toString() {
    return "checked(" + delegate.name() + ")";
  }
}
