package dev.tpo.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;

/**
 * One request the {@link SimulatedOpenAiServer} received, as recorded for assertions and as seen by
 * {@link Fault} conditions.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param sequence the request's number on the server, from 1, in arrival order
 * @param method the HTTP method
 * @param path the request path, without the query string
 * @param headers the request headers, names in lower case, the first value of each
 * @param body the raw body as UTF-8 text
 * @param json the parsed body, or {@code null} when it was not JSON
 * @param updateRequest whether a chat message contains the update start tag
 */
public record RecordedRequest(
    long sequence,
    String method,
    String path,
    Map<String, String> headers,
    String body,
    JsonNode json,
    boolean updateRequest) {

  /**
   * Validates and copies the fields.
   *
   * @param sequence the request's number on the server, from 1, in arrival order
   * @param method the HTTP method
   * @param path the request path, without the query string
   * @param headers the request headers, names in lower case, the first value of each
   * @param body the raw body as UTF-8 text
   * @param json the parsed body, or {@code null} when it was not JSON
   * @param updateRequest whether a chat message contains the update start tag
   */
  public RecordedRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(body, "body");
  }

  /**
   * A header's first value.
   *
   * @param name the header name, any case
   * @return the value, or {@code null} when absent
   */
  public String header(String name) {
    return headers.get(name.toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * The body's {@code n} field (1 when absent or not JSON).
   *
   * @return the requested number of choices
   */
  public int n() {
    return json == null || !json.path("n").canConvertToInt() ? 1 : Math.max(1, json.path("n").asInt(1));
  }

  @Override
  public String toString() {
    return "RecordedRequest{#" + sequence + " " + method + " " + path + ", " + body.length()
        + " chars}";
  }
}
