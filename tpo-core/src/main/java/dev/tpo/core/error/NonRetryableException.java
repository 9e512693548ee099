package dev.tpo.core.error;

/**
 * A permanent failure that is not an HTTP status: repeating the same request will fail again (bad
 * configuration, malformed model output, contract violations). The permanent HTTP failures (bad
 * request, authentication, unknown model) are {@link HttpStatusException}s; test {@link
 * TpoException#isRetryable()} to cover both.
 *
 * <p>Immutable; safe to share between threads.
 */
public class NonRetryableException extends TpoException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what to do
   */
  public NonRetryableException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what went wrong and what to do
   * @param cause the underlying failure, or null
   */
  public NonRetryableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public final boolean isRetryable() {
    return false;
  }
}
