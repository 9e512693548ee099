package dev.tpo.core.error;

/**
 * A {@code RewardScorer} broke its contract (NaN or infinite scores, a wrong number of scores) or
 * failed in a way that retrying will not fix. The message names the scorer.
 *
 * <p>Immutable; safe to share between threads.
 */
public class RewardScoringException extends NonRetryableException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what to do
   */
  public RewardScoringException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what went wrong and what to do
   * @param cause the underlying failure, or null
   */
  public RewardScoringException(String message, Throwable cause) {
    super(message, cause);
  }
}
