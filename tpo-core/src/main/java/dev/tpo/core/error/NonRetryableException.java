package dev.tpo.core.error;

/**
 * A permanent failure: repeating the same request will fail again (bad configuration, bad request,
 * authentication, unknown model, malformed model output, contract violations).
 *
 * <p>Immutable; safe to share between threads.
 */
public class NonRetryableException extends TpoException {
  private static final long serialVersionUID = 1L;

  public NonRetryableException(String message) {
    super(message);
  }

  public NonRetryableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public final boolean isRetryable() {
    return false;
  }
}
