package dev.tpo.core.model;

/**
 * Token usage of one or more requests, as reported by the server's {@code usage} field. Adds up with
 * {@link #plus(TokenUsage)}.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param promptTokens tokens sent, at least 0
 * @param completionTokens tokens generated, at least 0
 * @param requests number of requests counted, at least 0
 */
public record TokenUsage(long promptTokens, long completionTokens, long requests) {

  /** No usage. */
  public static final TokenUsage ZERO = new TokenUsage(0, 0, 0);

  /**
   * Validates that every count is non-negative.
   *
   * @param promptTokens tokens sent, at least 0
   * @param completionTokens tokens generated, at least 0
   * @param requests number of requests counted, at least 0
   */
  public TokenUsage {
    if (promptTokens < 0 || completionTokens < 0 || requests < 0) {
      throw new IllegalArgumentException(
          "token counts must be >= 0, got promptTokens=" + promptTokens
              + ", completionTokens=" + completionTokens + ", requests=" + requests);
    }
  }

  /**
   * Usage of a single request.
   *
   * @param promptTokens tokens sent
   * @param completionTokens tokens generated
   * @return the usage with {@code requests = 1}
   */
  public static TokenUsage ofRequest(long promptTokens, long completionTokens) {
    return new TokenUsage(promptTokens, completionTokens, 1);
  }

  /**
   * The sum of prompt and completion tokens.
   *
   * @return total tokens
   */
  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  /**
   * Adds two usages.
   *
   * @param other the usage to add
   * @return a new usage with every field summed
   */
  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(
        promptTokens + other.promptTokens,
        completionTokens + other.completionTokens,
        requests + other.requests);
  }
}
