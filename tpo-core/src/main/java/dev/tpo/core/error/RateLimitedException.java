package dev.tpo.core.error;

import java.time.Duration;
import java.util.Optional;

/**
 * The server answered HTTP 429 (too many requests). Retryable; keeps the server's
 * {@code Retry-After} hint when it sent one.
 *
 * <p>Keeps the HTTP status and raw response body ({@link HttpStatusException}). Retryable.
 * Immutable; safe to share between threads.
 */
public class RateLimitedException extends HttpStatusException {
  private static final long serialVersionUID = 1L;
  /** How long the server asked to wait, if it said. */
  private final Duration retryAfter;

  /**
   * Creates the exception for an HTTP 429 response.
   *
   * @param message what went wrong and what to do
   * @param statusCode the HTTP status the server answered
   * @param responseBody the raw response body; null is kept as empty
   * @param retryAfter the delay the server's {@code Retry-After} header asked for, or null
   * @param cause the underlying failure, or null
   */
  public RateLimitedException(
      String message, int statusCode, String responseBody, Duration retryAfter, Throwable cause) {
    super(message, statusCode, responseBody, cause);
    this.retryAfter = retryAfter;
  }

  /**
   * The delay the server asked for, if it sent a {@code Retry-After} header.
   *
   * @return the delay, or empty
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * Retryable: the server asks to come back later.
   *
   * @return true
   */
  @Override
  public final boolean isRetryable() {
    return true;
  }
}
