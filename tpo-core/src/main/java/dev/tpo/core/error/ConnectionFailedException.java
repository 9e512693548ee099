package dev.tpo.core.error;

/**
 * The request never got a complete answer: connection refused or reset, read timeout, or a body cut
 * off mid-stream. Retryable. The message names the endpoint (without credentials).
 *
 * <p>Immutable; safe to share between threads.
 */
public class ConnectionFailedException extends RetryableException {
  private static final long serialVersionUID = 1L;

  public ConnectionFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
