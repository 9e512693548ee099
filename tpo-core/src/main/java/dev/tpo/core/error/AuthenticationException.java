package dev.tpo.core.error;

/**
 * The server refused the credentials (HTTP 401 or 403): check the API key. The key itself never
 * appears in the message.
 *
 * <p>Keeps the HTTP status and raw response body ({@link HttpStatusException}). Not retryable.
 * Immutable; safe to share between threads.
 */
public class AuthenticationException extends HttpStatusException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception for a refused-credentials response.
   *
   * @param message what went wrong and what to do
   * @param statusCode the HTTP status the server answered
   * @param responseBody the raw response body; null is kept as empty
   */
  public AuthenticationException(String message, int statusCode, String responseBody) {
    this(message, statusCode, responseBody, null);
  }

  /**
   * Creates the exception for a refused-credentials response, with its cause.
   *
   * @param message what went wrong and what to do
   * @param statusCode the HTTP status the server answered
   * @param responseBody the raw response body; null is kept as empty
   * @param cause the underlying failure, or null
   */
  public AuthenticationException(String message, int statusCode, String responseBody, Throwable cause) {
    super(message, statusCode, responseBody, cause);
  }

  /**
   * Not retryable: the same request fails again.
   *
   * @return false
   */
  @Override
  public final boolean isRetryable() {
    return false;
  }
}
