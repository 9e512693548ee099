package dev.tpo.core.error;

/**
 * The server does not serve the requested model (HTTP 404, or a model list without it): check the
 * model name.
 *
 * <p>Keeps the HTTP status and raw response body ({@link HttpStatusException}). Not retryable.
 * Immutable; safe to share between threads.
 */
public class ModelNotFoundException extends HttpStatusException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception for an unknown model.
   *
   * @param message what went wrong and what to do
   * @param statusCode the HTTP status the server answered
   * @param responseBody the raw response body; null is kept as empty
   */
  public ModelNotFoundException(String message, int statusCode, String responseBody) {
    this(message, statusCode, responseBody, null);
  }

  /**
   * Creates the exception for an unknown model, with its cause.
   *
   * @param message what went wrong and what to do
   * @param statusCode the HTTP status the server answered
   * @param responseBody the raw response body; null is kept as empty
   * @param cause the underlying failure, or null
   */
  public ModelNotFoundException(String message, int statusCode, String responseBody, Throwable cause) {
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
