package dev.tpo;

/** Why a run stopped refining. Immutable; thread-safe. */
public enum StopReason {
  /** Every configured round ran (or the mode does not refine, as Best-of-N). */
  COMPLETED,
  /** The run's token budget was spent; the best answer so far was returned. */
  TOKEN_BUDGET,
  /** The run's wall-time limit was reached; the best answer so far was returned. */
  TIME_LIMIT
}
