package dev.tpo.adapter.openai;

import dev.tpo.core.error.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Normalises the base URL of an OpenAI-compatible server. Stateless; thread-safe. */
final class BaseUrls {
  private BaseUrls() {}

  /**
   * The API root the SDK appends paths to: the URL as given when its path already ends with a
   * version segment ({@code /v1}, {@code /v2}, ...), else the URL with {@code /v1} appended.
   *
   * @param field the builder field name, for messages
   * @param baseUrl for example {@code http://localhost:8000} or {@code http://localhost:8000/v1/}
   * @return for example {@code http://localhost:8000/v1}
   * @throws ConfigurationException when the URL is missing, not absolute http(s), or has a query
   */
  static String apiRoot(String field, String baseUrl) {
    if (baseUrl == null || baseUrl.isBlank()) {
      throw new ConfigurationException(
          field + " is not set: give the server's URL, for example http://localhost:8000/v1");
    }
    String trimmed = baseUrl.trim();
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw new ConfigurationException(
          field + " '" + trimmed + "' is not a valid URL: " + e.getReason()
              + "; write it like http://localhost:8000/v1", e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new ConfigurationException(
          field + " '" + trimmed + "' must be an absolute http:// or https:// URL with a host,"
              + " for example http://localhost:8000/v1");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigurationException(
          field + " '" + trimmed + "' must not have a query or fragment; give only"
              + " scheme://host:port[/path]");
    }
    if (uri.getRawUserInfo() != null) {
      throw new ConfigurationException(
          field + " must not carry credentials in the URL; pass the key with apiKey(...)");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (!path.matches(".*/v\\d+")) {
      path = path + "/v1";
    }
    String port = uri.getPort() >= 0 ? ":" + uri.getPort() : "";
    return scheme + "://" + uri.getHost() + port + path;
  }
}
