package dev.tpo.adapter.reward;

import dev.tpo.core.error.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/** Validation shared by the HTTP scorers' builders. Stateless; thread-safe. */
final class ScorerSettings {
  private ScorerSettings() {}

  /**
   * Parses a server root URL: absolute http(s), no query, no credentials, no trailing slash.
   *
   * @param field the builder field, for messages
   * @param url the URL
   * @return the root
   * @throws ConfigurationException naming the field and value when invalid
   */
  static URI root(String field, String url) {
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

  static void check(String type, Duration timeout, int maxConcurrentRequests, int maxRetries,
      Duration retryBackoff, int batchSize) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new ConfigurationException(type + ".timeout must be positive, got " + timeout);
    }
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
