package dev.tpo.adapter.reward;

import dev.tpo.core.error.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A parsed HTTP reward spec such as {@code vllm+http://host:8001/classify?model=rm}: the server
 * URL without query, its path, and the query parameters. Immutable; thread-safe.
 *
 * @param url scheme, host, port and path, without the query
 * @param path the path without a trailing slash, possibly empty
 * @param params the decoded query parameters
 */
record HttpSpec(String url, String path, Map<String, String> params) {

  /**
   * Whether the spec starts with the prefix followed by {@code http://} or {@code https://}.
   *
   * @param spec the spec
   * @param prefix for example {@code vllm+}
   * @return true when it does, ignoring case
   */
  static boolean matches(String spec, String prefix) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    return s.startsWith(prefix + "http://") || s.startsWith(prefix + "https://");
  }

  /**
   * Parses the spec.
   *
   * @param spec the spec
   * @param prefix the scheme prefix to strip, for example {@code vllm+}
   * @param syntax the accepted syntax, for messages
   * @param allowed the query parameters accepted
   * @return the parsed spec
   * @throws ConfigurationException naming the spec and the syntax when it is invalid
   */
  static HttpSpec parse(String spec, String prefix, String syntax, Set<String> allowed) {
    String s = spec.trim();
    String rest = s.substring(prefix.length());
    URI uri;
    try {
      uri = new URI(rest);
    } catch (URISyntaxException e) {
      throw new ConfigurationException(
          "reward spec '" + s + "' is not a valid URL (" + e.getReason() + "); write it as "
              + syntax, e);
    }
    if (uri.getHost() == null) {
      throw new ConfigurationException(
          "reward spec '" + s + "' has no host; write it as " + syntax);
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (!allowed.contains(key)) {
          throw new ConfigurationException(
              "reward spec '" + s + "' has the unknown parameter '" + key + "'; accepted: "
                  + String.join(", ", allowed) + " (" + syntax + ")");
        }
        if (value.isBlank()) {
          throw new ConfigurationException(
              "reward spec '" + s + "' gives no value for '" + key + "'; write " + key + "=NAME");
        }
        params.put(key, value);
      }
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String port = uri.getPort() >= 0 ? ":" + uri.getPort() : "";
    String url = uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + port + path;
    return new HttpSpec(url, path, Map.copyOf(params));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
