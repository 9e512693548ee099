package dev.tpo.core.error;

/**
 * The server refused the credentials (HTTP 401 or 403): check the API key. The key itself never appears in the message.
 *
 * <p>Keeps the HTTP status and raw response body. Immutable; safe to share between threads.
 */
public class AuthenticationException extends NonRetryableException implements HttpFailure {
  private static final long serialVersionUID = 1L;
  private final int statusCode;
  private final String responseBody;

  public AuthenticationException(String message, int statusCode, String responseBody) {
    this(message, statusCode, responseBody, null);
  }

  public AuthenticationException(String message, int statusCode, String responseBody, Throwable cause) {
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
