package dev.tpo;

/** How a refinement round ended. Immutable; thread-safe. */
public enum RoundStatus {
  /** Loss, gradient and update ran and at least one new candidate was scored. */
  COMPLETED,
  /**
   * Every choice of the update step was unparsable: no new candidate, the best response so far
   * stands and the run went on.
   */
  FAILED_UNPARSABLE,
  /** A token budget or time limit was reached during the round; the rest of it was skipped. */
  STOPPED
}
