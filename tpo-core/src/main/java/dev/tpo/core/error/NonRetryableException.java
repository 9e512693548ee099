package dev.tpo.core.error;

/**
 * A permanent failure: repeating the same request will fail again (bad configuration, bad request,
 * authentication, unknown model, malformed model output, contract violations).
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
