package dev.tpo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.model.ChatRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * The numeric settings of a run, resolved from the {@link Tpo} defaults and the {@link TpoRequest}
 * overrides, as recorded in every {@link TpoResult}. The constructor validates every field and
 * names the bad one.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param samples N: candidates per sampling and per update request, 1 to {@value
 *     ChatRequest#MAX_N}
 * @param iterations D: refinement rounds, at least 0 (0 is Best-of-N)
 * @param temperature sampling temperature of every request, 0 to 2
 * @param topP nucleus-sampling mass of every request, greater than 0 and at most 1
 * @param seed the seed sent with every request (sampling, loss, gradient and update)
 * @param maxTokens the most tokens per generated response, at least 1
 * @param maxContextTokens the most tokens of prompt plus response in one request, at least
 *     {@code maxTokens}; requests whose prompt would leave less room get a smaller {@code
 *     max_tokens}
 * @param responseTruncationTokens chosen and rejected responses are cut to this many tokens before
 *     they enter the loss, gradient and update prompts (the pool keeps the full texts), at least 1
 * @param tokenBudget the most tokens (prompt plus completion, all phases) a run may spend before it
 *     stops refining, or null for no limit
 * @param timeLimitMillis the most wall time in milliseconds a run may take before it stops
 *     refining, or null for no limit
 */
public record TpoSettings(
    int samples,
    int iterations,
    double temperature,
    double topP,
    long seed,
    int maxTokens,
    int maxContextTokens,
    int responseTruncationTokens,
    Long tokenBudget,
    Long timeLimitMillis) {

  /** The most refinement rounds a run may ask for. */
  public static final int MAX_ITERATIONS = 1000;

  /** The paper's settings: N=5, D=2, temperature 0.7, top_p 0.95, seed 7, 2048/8192 tokens. */
  public static final TpoSettings DEFAULTS =
      new TpoSettings(5, 2, 0.7, 0.95, 7L, 2048, 8192, 2048, null, null);

  /**
   * Validates every field.
   *
   * @param samples N: candidates per sampling and per update request, 1 to {@value
   *     ChatRequest#MAX_N}
   * @param iterations D: refinement rounds, at least 0 (0 is Best-of-N)
   * @param temperature sampling temperature of every request, 0 to 2
   * @param topP nucleus-sampling mass of every request, greater than 0 and at most 1
   * @param seed the seed sent with every request (sampling, loss, gradient and update)
   * @param maxTokens the most tokens per generated response, at least 1
   * @param maxContextTokens the most tokens of prompt plus response in one request, at least
   *     {@code maxTokens}; requests whose prompt would leave less room get a smaller {@code
   *     max_tokens}
   * @param responseTruncationTokens chosen and rejected responses are cut to this many tokens
   *     before they enter the loss, gradient and update prompts (the pool keeps the full texts), at
   *     least 1
   * @param tokenBudget the most tokens (prompt plus completion, all phases) a run may spend before
   *     it stops refining, or null for no limit
   * @param timeLimitMillis the most wall time in milliseconds a run may take before it stops
   *     refining, or null for no limit
   */
  public TpoSettings {
    if (samples < 1 || samples > ChatRequest.MAX_N) {
      throw bad("samples", samples, "between 1 and " + ChatRequest.MAX_N);
    }
    if (iterations < 0 || iterations > MAX_ITERATIONS) {
      throw bad("iterations", iterations, "between 0 (Best-of-N) and " + MAX_ITERATIONS);
    }
    if (!(temperature >= 0 && temperature <= 2)) {
      throw bad("temperature", temperature, "between 0 and 2");
    }
    if (!(topP > 0 && topP <= 1)) {
      throw bad("topP", topP, "greater than 0 and at most 1");
    }
    if (maxTokens < 1) {
      throw bad("maxTokens", maxTokens, "at least 1");
    }
    if (maxContextTokens < maxTokens) {
      throw bad("maxContextTokens", maxContextTokens,
          "at least maxTokens (" + maxTokens + "): the context must hold a whole response");
    }
    if (responseTruncationTokens < 1) {
      throw bad("responseTruncationTokens", responseTruncationTokens, "at least 1");
    }
    if (tokenBudget != null && tokenBudget < 1) {
      throw bad("tokenBudget", tokenBudget, "at least 1, or unset for no limit");
    }
    if (timeLimitMillis != null && timeLimitMillis < 1) {
      throw bad("timeLimit", Duration.ofMillis(timeLimitMillis),
          "at least 1 ms, or unset for no limit");
    }
  }

  /**
   * A time limit as the milliseconds this record keeps, checked where it is set.
   *
   * @param field the setter's name for the message, e.g. {@code "TpoRequest.timeLimit"}
   * @param limit the limit, or null for none
   * @return the milliseconds, or null for none
   * @throws ConfigurationException when the limit is shorter than 1 ms
   */
  static Long timeLimitMillis(String field, Duration limit) {
    if (limit == null) {
      return null;
    }
    if (limit.isNegative() || limit.toMillis() < 1) {
      throw new ConfigurationException(field + " must be at least 1 ms, got " + limit);
    }
    return limit.toMillis();
  }

  private static ConfigurationException bad(String field, Object value, String allowed) {
    return new ConfigurationException(
        "TPO setting '" + field + "' must be " + allowed + ", got " + value
            + "; fix it on Tpo.builder()." + field + "(...) or TpoRequest.builder()." + field
            + "(...)");
  }

  /**
   * The token budget, if any.
   *
   * @return the budget
   */
  @JsonIgnore
  public Optional<Long> tokenBudgetIfSet() {
    return Optional.ofNullable(tokenBudget);
  }

  /**
   * The wall-time limit, if any.
   *
   * @return the limit
   */
  @JsonIgnore
  public Optional<Duration> timeLimit() {
    return Optional.ofNullable(timeLimitMillis).map(Duration::ofMillis);
  }
}
