package dev.tpo.core.event;

import java.util.Objects;

/**
 * The textual gradient of a round was computed: feedback on the response being optimized.
 * Immutable; thread-safe.
 *
 * @param runId the run's id
 * @param round the round, from 1
 * @param gradient the feedback text
 */
public record GradientComputed(String runId, int round, String gradient) {
  /**
   * Validates that the text is not null.
   *
   * @param runId the run's id
   * @param round the round, from 1
   * @param gradient the feedback text
   */
  public GradientComputed {
    Objects.requireNonNull(gradient, "gradient");
  }
}
