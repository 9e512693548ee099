package dev.tpo.core.model;

import java.util.Optional;

/**
 * The allowed ranges of the sampling settings, defined once: {@link ChatRequest}, the TPO settings
 * ({@code dev.tpo.TpoSettings}) and the TextGrad engine's {@code Sampling} check their values here
 * and differ only in how they name the field in their error message.
 *
 * <p>Each method returns the allowed range, as words to put after "must be", when the value is set
 * and outside it, and empty when the value is unset or allowed. Stateless; thread-safe.
 */
public final class SamplingLimits {
  private SamplingLimits() {}

  /**
   * Checks a sampling temperature (0 to 2; NaN is outside).
   *
   * @param temperature the value, or null when unset
   * @return the allowed range when the value is outside it
   */
  public static Optional<String> temperature(Double temperature) {
    return temperature != null && !(temperature >= 0 && temperature <= 2)
        ? Optional.of("between 0 and 2") : Optional.empty();
  }

  /**
   * Checks a nucleus-sampling mass (greater than 0 and at most 1; NaN is outside).
   *
   * @param topP the value, or null when unset
   * @return the allowed range when the value is outside it
   */
  public static Optional<String> topP(Double topP) {
    return topP != null && !(topP > 0 && topP <= 1)
        ? Optional.of("greater than 0 and at most 1") : Optional.empty();
  }

  /**
   * Checks a limit of tokens per choice (at least 1).
   *
   * @param maxTokens the value, or null when unset
   * @return the allowed range when the value is outside it
   */
  public static Optional<String> maxTokens(Integer maxTokens) {
    return maxTokens != null && maxTokens < 1 ? Optional.of("at least 1") : Optional.empty();
  }
}
