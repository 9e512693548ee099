package dev.tpo.core.error;

/**
 * The server answered with a 5xx status (500, 502, 503, 504...): a transient failure.
 *
 * <p>Keeps the HTTP status and raw response body ({@link HttpStatusException}). Retryable.
 * Immutable; safe to share between threads.
 */
public class ServerErrorException extends HttpStatusException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception for a 5xx response.
   *
   * @param message what went wrong and what to do
   * @param statusCode the HTTP status the server answered
   * @param responseBody the raw response body; null is kept as empty
   */
  public ServerErrorException(String message, int statusCode, String responseBody) {
    this(message, statusCode, responseBody, null);
  }

  /**
   * Creates the exception for a 5xx response, with its cause.
   *
   * @param message what went wrong and what to do
   * @param statusCode the HTTP status the server answered
   * @param responseBody the raw response body; null is kept as empty
   * @param cause the underlying failure, or null
   */
  public ServerErrorException(String message, int statusCode, String responseBody, Throwable cause) {
    super(message, statusCode, responseBody, cause);
  }

  /**
   * Retryable: the server may answer later.
   *
   * @return true
   */
  @Override
  public final boolean isRetryable() {
    return true;
  }
}
