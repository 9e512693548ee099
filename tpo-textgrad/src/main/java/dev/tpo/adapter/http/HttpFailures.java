package dev.tpo.adapter.http;

import dev.tpo.core.error.AuthenticationException;
import dev.tpo.core.error.BadRequestException;
import dev.tpo.core.error.ModelNotFoundException;
import dev.tpo.core.error.RateLimitedException;
import dev.tpo.core.error.ServerErrorException;
import dev.tpo.core.error.HttpStatusException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Maps an HTTP error status onto the {@code dev.tpo.core.error} hierarchy, keeping the status and
 * the (redacted) body. Stateless; thread-safe.
 *
 * <table>
 *   <caption>status to exception</caption>
 *   <tr><td>401, 403</td><td>{@link AuthenticationException}</td></tr>
 *   <tr><td>404</td><td>{@link ModelNotFoundException}</td></tr>
 *   <tr><td>429</td><td>{@link RateLimitedException} with {@code Retry-After}</td></tr>
 *   <tr><td>408, 409, 5xx</td><td>{@link ServerErrorException}</td></tr>
 *   <tr><td>other 4xx</td><td>{@link BadRequestException}</td></tr>
 * </table>
 */
public final class HttpFailures {
  private HttpFailures() {}

  /**
   * The exception for an HTTP error response.
   *
   * @param what what was being done, for the message (for example {@code "chat completion at
   *     http://host:8000/v1 (model m)"}); must not contain a credential
   * @param status the HTTP status, 400 or more
   * @param body the raw body; the secret is redacted from it
   * @param retryAfterHeader the {@code Retry-After} header value, or null
   * @param secret the API key to keep out of message and body, or null
   * @return the mapped exception
   */
  public static HttpStatusException fromStatus(
      String what, int status, String body, String retryAfterHeader, String secret) {
    return fromStatus(what, status, body, retryAfterHeader, secret,
        "Check the base URL and the model name; ModelProbe lists what the server serves");
  }

  /**
   * The exception for an HTTP error response, with a caller's hint for a 404.
   *
   * @param what what was being done, for the message; must not contain a credential
   * @param status the HTTP status, 400 or more
   * @param body the raw body; the secret is redacted from it
   * @param retryAfterHeader the {@code Retry-After} header value, or null
   * @param secret the API key to keep out of message and body, or null
   * @param notFoundHint what to check when the status is 404
   * @return the mapped exception
   */
  public static HttpStatusException fromStatus(String what, int status, String body,
      String retryAfterHeader, String secret, String notFoundHint) {
    String clean = Secrets.redact(body, secret);
    String shown = Secrets.snippet(body, secret);
    String prefix = what + " failed with HTTP " + status + (shown.isEmpty() ? "" : ": " + shown);
    if (status == 401 || status == 403) {
      return new AuthenticationException(
          prefix + ". Check the API key (apiKey / --api-key / OPENAI_API_KEY) the server expects",
          status, clean);
    }
    if (status == 404) {
      return new ModelNotFoundException(
          prefix + ". " + notFoundHint, status, clean);
    }
    if (status == 429) {
      Duration after = parseRetryAfter(retryAfterHeader).orElse(null);
      return new RateLimitedException(
          prefix + ". The server is rate limiting" + (after == null ? "" : " (Retry-After "
              + after.toMillis() + " ms)") + "; lower the concurrency or retry later",
          status, clean, after, null);
    }
    if (status == 408 || status == 409 || status >= 500) {
      return new ServerErrorException(
          prefix + ". The server failed; it may be overloaded or restarting, retry later",
          status, clean);
    }
    return new BadRequestException(
        prefix + ". The server rejected the request; check the settings it names", status, clean);
  }

  /**
   * Parses a {@code Retry-After} value: delay seconds (possibly fractional) or an HTTP date.
   *
   * @param value the header value, may be null
   * @return the delay, empty when absent or unparsable
   */
  public static Optional<Duration> parseRetryAfter(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    try {
      double seconds = Double.parseDouble(v);
      if (seconds >= 0 && !Double.isInfinite(seconds)) {
        return Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
      }
      return Optional.empty();
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }
}
