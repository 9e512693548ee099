package dev.tpo.adapter.http;

import dev.tpo.core.error.ConfigurationException;
import java.time.Duration;

/**
 * The settings every HTTP client of the adapters takes: the server's URL, the API key and the time
 * limit of one request. The builders of {@code OpenAiCompatibleModel}, {@code ModelProbe} and the
 * HTTP reward scorers extend it; each validates these values in its own {@code build()}.
 *
 * <p>Not thread-safe, like every builder.
 *
 * @param <B> the concrete builder, which every setter returns
 */
public abstract class HttpClientBuilder<B extends HttpClientBuilder<B>> {
  private String baseUrl;
  private String apiKey;
  private Duration timeout;

  /**
   * A builder with the client's default time limit.
   *
   * @param defaultTimeout the time limit of one request when {@link #timeout(Duration)} is not
   *     called
   */
  protected HttpClientBuilder(Duration defaultTimeout) {
    this.timeout = defaultTimeout;
  }

  /**
   * The server's URL. Required. {@code OpenAiCompatibleModel} and {@code ModelProbe} take it with
   * or without {@code /v1} ({@code http://localhost:8000} and {@code http://localhost:8000/v1/}
   * both work); the reward scorers take the server root, for example {@code
   * http://localhost:8001}, keeping a path prefix and appending their endpoint.
   *
   * @param baseUrl an absolute http(s) URL
   * @return this builder
   */
  public B baseUrl(String baseUrl) {
    this.baseUrl = baseUrl;
    return self();
  }

  /**
   * The API key, sent as {@code Authorization: Bearer ...} (vLLM's and TEI's {@code --api-key}).
   * Optional: none by default (servers started without a key accept any); a blank key counts as
   * none. Never shown in messages or {@code toString()}.
   *
   * @param apiKey the key, or null for none
   * @return this builder
   */
  public B apiKey(String apiKey) {
    this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    return self();
  }

  /**
   * Time limit of one request (one attempt). Defaults to 10 minutes for {@code
   * OpenAiCompatibleModel} (connect, send, generate, read), 60 seconds for the reward scorers
   * (also their connect timeout) and 10 seconds for {@code ModelProbe}.
   *
   * @param timeout positive
   * @return this builder
   */
  public B timeout(Duration timeout) {
    this.timeout = timeout;
    return self();
  }

  /** @return the URL as set, possibly null */
  protected final String baseUrlValue() {
    return baseUrl;
  }

  /** @return the trimmed API key, or null for none */
  protected final String apiKeyValue() {
    return apiKey;
  }

  /** @return the time limit of one request as set, possibly null or not positive */
  protected final Duration timeoutValue() {
    return timeout;
  }

  /**
   * Checks that a duration setting is positive.
   *
   * @param field the setting, for the message, for example {@code ModelProbe.timeout}
   * @param value the value
   * @throws ConfigurationException naming the field and value when it is null, zero or negative
   */
  protected static void requirePositive(String field, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new ConfigurationException(field + " must be a positive duration, got " + value);
    }
  }

  /** @return this builder as its concrete type */
  @SuppressWarnings("unchecked")
  protected final B self() {
    return (B) this;
  }
}
