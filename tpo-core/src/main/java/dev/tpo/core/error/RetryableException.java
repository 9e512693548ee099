package dev.tpo.core.error;

/**
 * A transient failure that is not an HTTP status: repeating the same request later may succeed
 * (timeouts, refused or reset connections). The retryable HTTP failures (429, 5xx) are {@link
 * HttpStatusException}s; test {@link TpoException#isRetryable()} to cover both. Adapters retry
 * these themselves before surfacing them.
 *
 * <p>Immutable; safe to share between threads.
 */
public class RetryableException extends TpoException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what to do
   */
  public RetryableException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what went wrong and what to do
   * @param cause the underlying failure, or null
   */
  public RetryableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public final boolean isRetryable() {
    return true;
  }
}
