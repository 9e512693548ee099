package dev.tpo.core.error;

/**
 * The request never got a complete answer: connection refused or reset, read timeout, or a body cut
 * off mid-stream. Retryable. The message names the endpoint (without credentials).
 *
 * <p>Immutable; safe to share between threads.
 */
public class ConnectionFailedException extends RetryableException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the endpoint (without credentials)
   * @param cause the I/O failure or timeout, or null
   */
  public ConnectionFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
