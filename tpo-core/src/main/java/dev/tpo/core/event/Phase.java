package dev.tpo.core.event;

/** The phases of a TPO run, used for events, timing and token accounting. Thread-safe. */
public enum Phase {
  /** The first request: N samples of the policy. */
  SAMPLING,
  /** Reward-model scoring of a batch of candidates. */
  SCORING,
  /** The textual loss: the chosen/rejected critique. */
  LOSS,
  /** The textual gradient: feedback on the response variable. */
  GRADIENT,
  /** The optimizer step: N rewritten candidates. */
  UPDATE
}
