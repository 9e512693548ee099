package dev.tpo.simulator;

/**
 * Scores one (query, response) pair for the {@link SimulatedOpenAiServer}'s reward endpoints. Must
 * be thread-safe; should be deterministic. For {@code /classify} and single-text {@code /predict}
 * inputs the query is the empty string and the response is the whole input text.
 */
@FunctionalInterface
public interface RewardFunction {

  /**
   * Scores the pair.
   *
   * @param query the user's query, or the empty string when the endpoint got plain text
   * @param response the response (or the whole input text)
   * @return the raw score
   */
  double score(String query, String response);

  /**
   * The default: a stable hash of the response text mapped into [-10, 10), so different
   * responses get different, reproducible scores.
   *
   * @return the function
   */
  static RewardFunction hashOfResponse() {
    return (query, response) -> {
      long h = ChatResponder.mix(response.hashCode() * 0x9E3779B97F4A7C15L);
      return ((h >>> 11) * 0x1.0p-53) * 20.0 - 10.0;
    };
  }

  /**
   * Scores by length: longer responses score higher (one point per 100 characters).
   *
   * @return the function
   */
  static RewardFunction byLength() {
    return (query, response) -> response.length() / 100.0;
  }
}
