package dev.tpo.core.error;

/**
 * The server answered with a 5xx status (500, 502, 503, 504...): a transient failure.
 *
 * <p>Keeps the HTTP status and raw response body. Immutable; safe to share between threads.
 */
public class ServerErrorException extends RetryableException implements HttpFailure {
  private static final long serialVersionUID = 1L;
  /** The HTTP status code. */
  private final int statusCode;
  /** The response body, any API key redacted. */
  private final String responseBody;

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
    super(message, cause);
    this.statusCode = statusCode;
    this.responseBody = responseBody == null ? "" : responseBody;
  }

  @Override
  public int statusCode() {
    return statusCode;
  }

  @Override
  public String responseBody() {
    return responseBody;
  }
}
