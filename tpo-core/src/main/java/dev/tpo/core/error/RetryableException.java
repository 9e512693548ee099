package dev.tpo.core.error;

/**
 * A transient failure: repeating the same request later may succeed (HTTP 429 and 5xx, timeouts,
 * refused or reset connections). Adapters retry these themselves before surfacing them.
 *
 * <p>Immutable; safe to share between threads.
 */
public class RetryableException extends TpoException {
  private static final long serialVersionUID = 1L;

  public RetryableException(String message) {
    super(message);
  }

  public RetryableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public final boolean isRetryable() {
    return true;
  }
}
