package dev.tpo.core.reward;

import dev.tpo.core.error.RewardScoringException;
import java.util.List;

/**
 * The {@link RewardScorer} contract as a check that implementations and callers can run: one finite
 * score per response. Stateless; thread-safe.
 */
public final class ScoreContract {
  private ScoreContract() {}

  /**
   * Checks scores against the contract.
   *
   * @param scorerName the scorer's name, used in the message
   * @param expected how many responses were scored
   * @param scores what the scorer returned
   * @return {@code scores} as an immutable list
   * @throws RewardScoringException when the count is wrong or a score is null, NaN or infinite
   */
  public static List<Double> check(String scorerName, int expected, List<Double> scores) {
    if (scores == null) {
      throw new RewardScoringException(
          "reward scorer '" + scorerName + "' returned null instead of " + expected
              + " scores; it must return one score per response");
    }
    if (scores.size() != expected) {
      throw new RewardScoringException(
          "reward scorer '" + scorerName + "' returned " + scores.size() + " scores for "
              + expected + " responses; it must return exactly one score per response, in order");
    }
    for (int i = 0; i < scores.size(); i++) {
      Double s = scores.get(i);
      if (s == null || s.isNaN() || s.isInfinite()) {
        throw new RewardScoringException(
            "reward scorer '" + scorerName + "' returned " + s + " for response #" + i
                + "; scores must be finite numbers. Check the reward model's output (a NaN often"
                + " means an overflow in fp16 or an empty input)");
      }
    }
    return List.copyOf(scores);
  }
}
