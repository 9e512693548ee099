package dev.tpo.core.event;

import java.util.Objects;

/**
 * The textual loss of a round was computed: the critique contrasting chosen and rejected. Immutable;
 * thread-safe.
 *
 * @param runId the run's id
 * @param round the round, from 1
 * @param loss the critique text
 */
public record LossComputed(String runId, int round, String loss) {
  /**
   * Validates that the text is not null.
   *
   * @param runId the run's id
   * @param round the round, from 1
   * @param loss the critique text
   */
  public LossComputed {
    Objects.requireNonNull(loss, "loss");
  }
}
