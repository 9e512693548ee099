package dev.tpo.adapter.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.adapter.http.MockHttp;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;

/** Builds chat-completion bodies for the adapter tests. */
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
    return MockHttp.json(200, root.toString());
  }
}
