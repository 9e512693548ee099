package dev.tpo.adapter.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/** Builds chat-completion bodies and reads recorded requests for the adapter tests. */
final class ChatJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private ChatJson() {}

  /** A 200 answer with one choice per text, finished with "stop", and the given usage. */
  static MockResponse completion(List<String> texts, int promptTokens, int completionTokens) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1700000000)
        .put("model", "policy-model");
    ArrayNode choices = root.putArray("choices");
    for (int i = 0; i < texts.size(); i++) {
      ObjectNode c = choices.addObject();
      c.put("index", i);
      c.putObject("message").put("role", "assistant").put("content", texts.get(i));
      c.putNull("logprobs");
      c.put("finish_reason", "stop");
    }
    root.putObject("usage").put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
    return json(200, root.toString());
  }

  static MockResponse json(int status, String body) {
    return new MockResponse().setResponseCode(status)
        .setHeader("Content-Type", "application/json").setBody(body);
  }

  static JsonNode body(RecordedRequest request) {
    try {
      return MAPPER.readTree(request.getBody().clone().readUtf8());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode resource(String name) {
    try (InputStream in = ChatJson.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
