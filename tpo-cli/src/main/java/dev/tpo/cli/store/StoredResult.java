package dev.tpo.cli.store;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What the run summary needs from one line of a results file.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param id the prompt id
 * @param failed whether the line records an error
 * @param score the final answer's score (empty for a failure)
 * @param initialBestScore the best score of round 0 (empty for a failure or when unknown)
 * @param promptTokens prompt tokens spent
 * @param completionTokens completion tokens spent
 * @param requests model requests sent
 * @param settings the run settings recorded on the line ({@code settings} field), empty when absent
 */
public record StoredResult(
    String id,
    boolean failed,
    OptionalDouble score,
    OptionalDouble initialBestScore,
    long promptTokens,
    long completionTokens,
    long requests,
    String settings) {

  /**
   * Validates the fields.
   *
   * @param id the prompt id
   * @param failed whether the line records an error
   * @param score the final answer's score (empty for a failure)
   * @param initialBestScore the best score of round 0 (empty for a failure or when unknown)
   * @param promptTokens prompt tokens spent
   * @param completionTokens completion tokens spent
   * @param requests model requests sent
   * @param settings the run settings recorded on the line ({@code settings} field), empty when
   *     absent
   */
  public StoredResult {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(score, "score");
    Objects.requireNonNull(initialBestScore, "initialBestScore");
    settings = settings == null ? "" : settings;
  }
}
