package dev.tpo;

/** Why a run stopped refining. Immutable; thread-safe. */
public enum StopReason {
  /** Every configured round ran (or the mode does not refine, as Best-of-N). */
  COMPLETED,
  /** The run's token budget was spent; the best answer so far was returned. */
  TOKEN_BUDGET,
  /** The run's wall-time limit was reached; the best answer so far was returned. */
  TIME_LIMIT,
  /**
   * A refinement prompt (loss, gradient or update, which quote the query and responses) would not
   * fit {@code maxContextTokens}; refining stopped and the best answer so far was returned.
   */
  CONTEXT_FULL,
  /**
   * Early stop ({@link TpoSettings#earlyStopRounds()}): the best score had not risen by more than
   * {@link TpoSettings#earlyStopMargin()} for that many rounds in a row.
   */
  NO_IMPROVEMENT,
  /**
   * Early stop ({@link TpoSettings#stopAtMaxScore()}): the best score reached the scorer's maximum
   * ({@link dev.tpo.core.reward.RewardScorer#maxScore()}), which no rewrite can beat.
   */
  MAX_SCORE
}
