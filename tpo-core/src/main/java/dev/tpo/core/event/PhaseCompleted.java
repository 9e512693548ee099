package dev.tpo.core.event;

import dev.tpo.core.model.TokenUsage;
import java.time.Duration;
import java.util.Objects;

/**
 * One model or scoring call of a run finished. Immutable; thread-safe.
 *
 * @param runId the run's id
 * @param round the round, 0 for the initial sampling
 * @param phase which phase
 * @param usage tokens spent by the call (for scoring: an LLM judge's tokens and requests, {@link
 *     TokenUsage#ZERO} for a reward model)
 * @param elapsed wall time of the call
 * @param model the name of the model or scorer that served the call ({@code name()}, never a
 *     credential), or the empty string when unknown
 */
public record PhaseCompleted(
    String runId, int round, Phase phase, TokenUsage usage, Duration elapsed, String model) {

  /**
   * Normalises a null model name to the empty string.
   *
   * @param runId the run's id
   * @param round the round, 0 for the initial sampling
   * @param phase which phase
   * @param usage tokens spent by the call
   * @param elapsed wall time of the call
   * @param model the model or scorer name, or null when unknown
   */
  public PhaseCompleted {
    model = Objects.requireNonNullElse(model, "");
  }

  /**
   * An event whose model is unknown.
   *
   * @param runId the run's id
   * @param round the round, 0 for the initial sampling
   * @param phase which phase
   * @param usage tokens spent by the call
   * @param elapsed wall time of the call
   */
  public PhaseCompleted(String runId, int round, Phase phase, TokenUsage usage, Duration elapsed) {
    this(runId, round, phase, usage, elapsed, "");
  }
}
