package dev.tpo.adapter.reward;

import dev.tpo.adapter.http.HttpClientBuilder;
import dev.tpo.core.error.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/**
 * The settings and validation shared by the builders of the HTTP reward scorers ({@link
 * TeiRewardScorer}, {@link VllmRewardScorer}): those of every HTTP client, plus concurrency,
 * retries and batch size. Not thread-safe.
 *
 * @param <B> the concrete builder, which every setter returns
 */
abstract class HttpScorerBuilder<B extends HttpScorerBuilder<B>> extends HttpClientBuilder<B> {
  private int maxConcurrentRequests;
  private int maxRetries = 2;
  private Duration retryBackoff = Duration.ofMillis(500);
  private int batchSize = 32;

  /**
   * A builder with a time limit of 60 seconds per request.
   *
   * @param defaultMaxConcurrentRequests the scorer's default of {@link
   *     #maxConcurrentRequests(int)}
   */
  HttpScorerBuilder(int defaultMaxConcurrentRequests) {
    super(Duration.ofSeconds(60));
    this.maxConcurrentRequests = defaultMaxConcurrentRequests;
  }

  /**
   * The most requests of this scorer in flight at once. Defaults to 8 for {@link
   * TeiRewardScorer} (which batches the texts of a request), 64 for {@link
   * VllmRewardScorer} (one request per response).
   *
   * @param maxConcurrentRequests at least 1
   * @return this builder
   */
  public B maxConcurrentRequests(int maxConcurrentRequests) {
    this.maxConcurrentRequests = maxConcurrentRequests;
    return self();
  }

  /**
   * Retries of a retryable failure (429, 5xx, I/O). Defaults to 2.
   *
   * @param maxRetries 0 to 20
   * @return this builder
   */
  public B maxRetries(int maxRetries) {
    this.maxRetries = maxRetries;
    return self();
  }

  /**
   * First wait before a retry, doubled on each further one; a 429's {@code Retry-After} wins.
   * Defaults to 500 ms.
   *
   * @param retryBackoff zero or positive
   * @return this builder
   */
  public B retryBackoff(Duration retryBackoff) {
    this.retryBackoff = retryBackoff;
    return self();
  }

  /**
   * Inputs per request: TEI's {@code /predict} and vLLM's {@code /classify} (vLLM's {@code
   * /pooling} sends one response per request). Defaults to 32, TEI's default {@code
   * --max-client-batch-size}.
   *
   * @param batchSize at least 1
   * @return this builder
   */
  public B batchSize(int batchSize) {
    this.batchSize = batchSize;
    return self();
  }

  /**
   * Validates the shared settings. Does no I/O.
   *
   * @param type the scorer's class name, for messages
   * @return the server root
   * @throws ConfigurationException naming the field and value when one is invalid
   */
  final URI validateShared(String type) {
    URI root = root(type + ".baseUrl", baseUrlValue());
    check(type, timeoutValue(), maxConcurrentRequests, maxRetries, retryBackoff, batchSize);
    return root;
  }

  /**
   * The poster for a validated builder.
   *
   * @param root the root {@link #validateShared} returned
   * @return a poster with this builder's key, time limit, concurrency and retries
   */
  final JsonPoster poster(URI root) {
    return new JsonPoster(root, apiKeyValue(), timeoutValue(), maxConcurrentRequests, maxRetries,
        retryBackoff);
  }

  /** @return the inputs per request */
  final int batchSizeValue() {
    return batchSize;
  }

  /**
   * Parses a server root URL: absolute http(s), no query, no credentials, no trailing slash.
   *
   * @param field the builder field, for messages
   * @param url the URL
   * @return the root
   * @throws ConfigurationException naming the field and value when invalid
   */
  private static URI root(String field, String url) {
    if (url == null || url.isBlank()) {
      throw new ConfigurationException(
          field + " is not set: give the reward server's URL, for example http://localhost:8001");
    }
    String s = url.trim();
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw new ConfigurationException(
          field + " '" + s + "' is not a valid URL: " + e.getReason(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new ConfigurationException(
          field + " '" + s + "' must be an absolute http:// or https:// URL with a host, for"
              + " example http://localhost:8001");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null
        || uri.getRawUserInfo() != null) {
      throw new ConfigurationException(
          field + " must be scheme://host:port[/path] without query, fragment or credentials;"
              + " pass an API key with apiKey(...)");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String port = uri.getPort() >= 0 ? ":" + uri.getPort() : "";
    return URI.create(scheme + "://" + uri.getHost() + port + path);
  }

  private static void check(String type, Duration timeout, int maxConcurrentRequests,
      int maxRetries, Duration retryBackoff, int batchSize) {
    requirePositive(type + ".timeout", timeout);
    if (maxConcurrentRequests < 1) {
      throw new ConfigurationException(
          type + ".maxConcurrentRequests must be at least 1, got " + maxConcurrentRequests);
    }
    if (maxRetries < 0 || maxRetries > 20) {
      throw new ConfigurationException(
          type + ".maxRetries must be between 0 and 20, got " + maxRetries);
    }
    if (retryBackoff == null || retryBackoff.isNegative()) {
      throw new ConfigurationException(
          type + ".retryBackoff must be zero or positive, got " + retryBackoff);
    }
    if (batchSize < 1) {
      throw new ConfigurationException(type + ".batchSize must be at least 1, got " + batchSize);
    }
  }
}
