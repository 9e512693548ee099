package dev.tpo.core.error;

/**
 * The base of every failure that stems from an HTTP error response (as openai-java's {@code
 * OpenAIServiceException}): keeps the status code and the raw body, once, for its subclasses.
 * Whether a retry helps depends on the status: {@link RateLimitedException} (429) and {@link
 * ServerErrorException} (5xx) are retryable; {@link AuthenticationException}, {@link
 * ModelNotFoundException} and {@link BadRequestException} are not ({@link #isRetryable()}).
 *
 * <p>The body is kept as the server sent it, except that adapters redact any credential the
 * server echoed into it. Immutable; safe to share between threads.
 */
public abstract class HttpStatusException extends TpoException {
  private static final long serialVersionUID = 1L;
  /** The HTTP status code. */
  private final int statusCode;
  /** The response body, any API key redacted; never null. */
  private final String responseBody;

  /**
   * Creates the exception; for subclasses.
   *
   * @param message what went wrong and what to do
   * @param statusCode the HTTP status the server answered
   * @param responseBody the raw response body; null is kept as empty
   * @param cause the underlying failure, or null
   */
  protected HttpStatusException(String message, int statusCode, String responseBody,
      Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
    this.responseBody = responseBody == null ? "" : responseBody;
  }

  /**
   * The HTTP status code.
   *
   * @return the status, for example 429
   */
  public int statusCode() {
    return statusCode;
  }

  /**
   * The raw response body, possibly empty, never null.
   *
   * @return the body text
   */
  public String responseBody() {
    return responseBody;
  }
}
