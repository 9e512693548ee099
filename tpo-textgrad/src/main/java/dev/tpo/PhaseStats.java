package dev.tpo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tpo.core.model.TokenUsage;
import java.time.Duration;
import java.util.Objects;

/**
 * What one phase of a run cost: its token usage (the number of model requests is {@code
 * usage.requests()}; for scoring it counts scoring calls, and the token counts are those of an LLM
 * judge, 0 for a reward model) and its wall time summed over all its calls.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param usage the tokens and requests of the phase
 * @param elapsedMillis the wall time of the phase's calls, in milliseconds
 */
public record PhaseStats(TokenUsage usage, @JsonProperty("elapsed_ms") long elapsedMillis) {

  /** Nothing spent. */
  public static final PhaseStats ZERO = new PhaseStats(TokenUsage.ZERO, 0);

  /**
   * Validates the fields.
   *
   * @param usage the tokens and requests of the phase
   * @param elapsedMillis the wall time of the phase's calls, in milliseconds
   */
  public PhaseStats {
    Objects.requireNonNull(usage, "usage");
    if (elapsedMillis < 0) {
      throw new IllegalArgumentException("PhaseStats.elapsedMillis must be >= 0, got " + elapsedMillis);
    }
  }

  /**
   * The wall time as a duration.
   *
   * @return the elapsed time
   */
  @JsonIgnore
  public Duration elapsed() {
    return Duration.ofMillis(elapsedMillis);
  }

  /**
   * Adds two stats.
   *
   * @param other the stats to add
   * @return the sum
   */
  public PhaseStats plus(PhaseStats other) {
    return new PhaseStats(usage.plus(other.usage), elapsedMillis + other.elapsedMillis);
  }
}
