package dev.tpo.core.error;

/**
 * Implemented by exceptions that stem from an HTTP response, keeping its status code and raw body
 * (the body is kept as the server sent it; adapters make sure no credential is echoed into it).
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface HttpFailure {
  /**
   * The HTTP status code.
   *
   * @return the status, for example 429
   */
  int statusCode();

  /**
   * The raw response body, possibly empty, never null.
   *
   * @return the body text
   */
  String responseBody();
}
