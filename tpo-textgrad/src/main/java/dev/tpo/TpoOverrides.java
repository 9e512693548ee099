package dev.tpo;

import dev.tpo.core.error.ConfigurationException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link TpoRequest}'s overrides of its {@link Tpo}'s settings: N, D, the sampling settings and
 * the limits of the run, each unset unless the request's builder set it. {@link
 * #resolve(TpoSettings)} applies them to the {@code Tpo}'s settings.
 *
 * <p>Immutable value; thread-safe. Set them on {@link TpoRequest.Builder}.
 */
public final class TpoOverrides {
  /** Settings that accept every valid override, to range-check overrides on their own. */
  private static final TpoSettings LENIENT =
      new TpoSettings(5, 2, 0.7, 0.95, 7L, 1, Integer.MAX_VALUE, 2048, null, null);

  /** No override: every setting is the {@link Tpo}'s. */
  public static final TpoOverrides NONE =
      new TpoOverrides(null, null, null, null, null, null, null, null);

  private final Integer samples;
  private final Integer iterations;
  private final Double temperature;
  private final Double topP;
  private final Long seed;
  private final Integer maxTokens;
  private final Long tokenBudget;
  private final Duration timeLimit;

  /**
   * Checks the overrides on their own; they are checked again against the {@link Tpo}'s settings
   * when the run starts.
   *
   * @throws ConfigurationException naming the field and value when one is out of range
   */
  TpoOverrides(Integer samples, Integer iterations, Double temperature, Double topP, Long seed,
      Integer maxTokens, Long tokenBudget, Duration timeLimit) {
    this.samples = samples;
    this.iterations = iterations;
    this.temperature = temperature;
    this.topP = topP;
    this.seed = seed;
    this.maxTokens = maxTokens;
    this.tokenBudget = tokenBudget;
    this.timeLimit = timeLimit;
    TpoSettings.timeLimitMillis("TpoRequest.timeLimit", timeLimit);
    resolve(LENIENT);
  }

  /** @return the N override, if set */
  public Optional<Integer> samples() {
    return Optional.ofNullable(samples);
  }

  /** @return the D override, if set */
  public Optional<Integer> iterations() {
    return Optional.ofNullable(iterations);
  }

  /** @return the temperature override, if set */
  public Optional<Double> temperature() {
    return Optional.ofNullable(temperature);
  }

  /** @return the top_p override, if set */
  public Optional<Double> topP() {
    return Optional.ofNullable(topP);
  }

  /** @return the seed override, if set */
  public Optional<Long> seed() {
    return Optional.ofNullable(seed);
  }

  /** @return the per-response token limit override, if set */
  public Optional<Integer> maxTokens() {
    return Optional.ofNullable(maxTokens);
  }

  /** @return the run's token budget override, if set */
  public Optional<Long> tokenBudget() {
    return Optional.ofNullable(tokenBudget);
  }

  /** @return the run's wall-time limit override, if set */
  public Optional<Duration> timeLimit() {
    return Optional.ofNullable(timeLimit);
  }

  /**
   * Applies the overrides to the defaults.
   *
   * @param defaults the {@link Tpo}'s settings
   * @return the settings of the run
   * @throws ConfigurationException naming the field when the result is out of range
   */
  public TpoSettings resolve(TpoSettings defaults) {
    return new TpoSettings(
        samples != null ? samples : defaults.samples(),
        iterations != null ? iterations : defaults.iterations(),
        temperature != null ? temperature : defaults.temperature(),
        topP != null ? topP : defaults.topP(),
        seed != null ? seed : defaults.seed(),
        maxTokens != null ? maxTokens : defaults.maxTokens(),
        defaults.maxContextTokens(),
        defaults.responseTruncationTokens(),
        tokenBudget != null ? tokenBudget : defaults.tokenBudget(),
        timeLimit != null ? Long.valueOf(timeLimit.toMillis()) : defaults.timeLimitMillis());
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TpoOverrides)) {
      return false;
    }
    TpoOverrides r = (TpoOverrides) o;
    return Objects.equals(samples, r.samples) && Objects.equals(iterations, r.iterations)
        && Objects.equals(temperature, r.temperature) && Objects.equals(topP, r.topP)
        && Objects.equals(seed, r.seed) && Objects.equals(maxTokens, r.maxTokens)
        && Objects.equals(tokenBudget, r.tokenBudget) && Objects.equals(timeLimit, r.timeLimit);
  }

  @Override
  public int hashCode() {
    return Objects.hash(samples, iterations, temperature, topP, seed, maxTokens, tokenBudget,
        timeLimit);
  }

  @Override
  public String toString() {
    return "TpoOverrides{samples=" + samples + ", iterations=" + iterations + ", temperature="
        + temperature + ", topP=" + topP + ", seed=" + seed + ", maxTokens=" + maxTokens
        + ", tokenBudget=" + tokenBudget + ", timeLimit=" + timeLimit + "}";
  }
}
