package dev.tpo.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** JSON helpers for the simulator's wire formats. Stateless; thread-safe. */
final class OpenAiJson {
  /** Writes NaN and infinities as bare tokens, as Python's json module does. */
  static final JsonMapper MAPPER =
      JsonMapper.builder().disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS).build();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private OpenAiJson() {}

  static JsonNode parseOrNull(String text) {
    if (text.isBlank()) {
      return null;
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An OpenAI-style error body: {@code {"error":{"message","type","param","code"}}}. */
  static String errorBody(int status, String message) {
    return errorBody(status, message, typeFor(status), null, null);
  }

  static String errorBody(int status, String message, String type, String param, String code) {
    ObjectNode root = NODES.objectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    if (param == null) {
      error.putNull("param");
    } else {
      error.put("param", param);
    }
    if (code == null) {
      error.put("code", status);
    } else {
      error.put("code", code);
    }
    return write(root);
  }

  private static String typeFor(int status) {
    switch (status) {
      case 400:
        return "invalid_request_error";
      case 401:
        return "authentication_error";
      case 403:
        return "permission_error";
      case 404:
        return "not_found_error";
      case 429:
        return "rate_limit_error";
      default:
        return status >= 500 ? "server_error" : "invalid_request_error";
    }
  }
}
