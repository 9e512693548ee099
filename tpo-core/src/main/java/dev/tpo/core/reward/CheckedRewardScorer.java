package dev.tpo.core.reward;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Enforces the {@link RewardScorer} contract around a delegate, on the one path every call takes
 * ({@link RewardScorer#scoreAll}). Thread-safe if the delegate is.
 */
final class CheckedRewardScorer implements RewardScorer {
  private final RewardScorer delegate;

  CheckedRewardScorer(RewardScorer delegate) {
    this.delegate = Objects.requireNonNull(delegate, "scorer");
  }

  @Override
  public ScoredBatch scoreAll(String prompt, List<String> responses) {
    List<String> copy = List.copyOf(responses);
    if (copy.isEmpty()) {
      return ScoredBatch.of(List.of());
    }
    ScoredBatch batch = delegate.scoreAll(prompt, copy);
    List<Double> scores = ScoreContract.check(name(), copy.size(),
        batch == null ? null : batch.scores());
    return new ScoredBatch(scores, batch.usage(), batch.warnings());
  }

  @Override
  public OptionalDouble maxScore() {
    return delegate.maxScore();
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
