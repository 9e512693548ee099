package dev.tpo.core.event;

import dev.tpo.core.model.TokenUsage;
import java.time.Duration;
import java.util.Objects;

/**
 * One model call of a run failed: the request was handed to the model and its future failed (after
 * whatever retries the model's adapter makes inside that one request). The counterpart of {@link
 * PhaseCompleted}, so that a listener that counts requests and tokens counts the failed ones too:
 * {@code usage} holds one request and the tokens the failure reported (none, for the adapters of
 * this project). Immutable; thread-safe.
 *
 * @param runId the run's id
 * @param round the round, 0 for the initial sampling
 * @param phase which phase sent the request
 * @param usage the request (requests 1) and any tokens the server reported for it
 * @param elapsed wall time from sending to the failure
 * @param model the name of the model the request went to, or the empty string when unknown
 * @param error what the request failed with
 */
public record PhaseFailed(
    String runId, int round, Phase phase, TokenUsage usage, Duration elapsed, String model,
    Throwable error) {

  /**
   * Normalises a null model name to the empty string and checks the usage and the error.
   *
   * @param runId the run's id
   * @param round the round, 0 for the initial sampling
   * @param phase which phase sent the request
   * @param usage the request and any tokens reported for it
   * @param elapsed wall time from sending to the failure
   * @param model the model name, or null when unknown
   * @param error what the request failed with
   */
  public PhaseFailed {
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(error, "error");
    model = Objects.requireNonNullElse(model, "");
  }
}
