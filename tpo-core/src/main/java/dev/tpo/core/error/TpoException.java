package dev.tpo.core.error;

/**
 * Root of every exception tpo-java throws. Unchecked; split into {@link RetryableException} (a retry
 * may help: rate limits, 5xx, timeouts, dropped connections) and {@link NonRetryableException} (it
 * will not: bad configuration, authentication, unknown model, malformed model output).
 *
 * <p>Messages say what was wrong, with the value, and what to do. They never contain API keys.
 *
 * <p>Instances are immutable once thrown and safe to share between threads.
 */
public abstract class TpoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected TpoException(String message) {
    super(message);
  }

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
