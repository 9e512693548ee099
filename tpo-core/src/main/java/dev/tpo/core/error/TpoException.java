package dev.tpo.core.error;

/**
 * Root of every exception tpo-java throws. Unchecked; {@link #isRetryable()} says whether a retry
 * may help (rate limits, 5xx, timeouts, dropped connections) or not (bad configuration,
 * authentication, unknown model, malformed model output). An HTTP error response is a {@link
 * HttpStatusException} carrying the status and body; other failures are a {@link
 * RetryableException} or a {@link NonRetryableException}.
 *
 * <p>Messages say what was wrong, with the value, and what to do. They never contain API keys.
 *
 * <p>Instances are immutable once thrown and safe to share between threads.
 */
public abstract class TpoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception; for subclasses.
   *
   * @param message what went wrong and what to do
   */
  protected TpoException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause; for subclasses.
   *
   * @param message what went wrong and what to do
   * @param cause the underlying failure, or null
   */
  protected TpoException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Whether repeating the same request may succeed.
   *
   * @return true for transient failures
   */
  public abstract boolean isRetryable();
}
