package dev.tpo.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code POST /v1/chat/completions} and {@code GET /v1/models}. Thread-safe. */
final class ChatEndpoint {
  private final SimulatedOpenAiServer server;

  ChatEndpoint(SimulatedOpenAiServer server) {
    this.server = server;
  }

  Reply models() {
    ObjectNode root = OpenAiJson.NODES.objectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (String m : server.models()) {
      ObjectNode model = data.addObject();
      model.put("id", m);
      model.put("object", "model");
      model.put("created", 1_700_000_000L);
      model.put("owned_by", "tpo-simulator");
    }
    return Reply.ok(OpenAiJson.write(root));
  }

  Reply chat(RecordedRequest rec, Fault fault, long extraDelayNanos) throws InterruptedException {
    JsonNode j = rec.json();
    if (j == null || !j.isObject()) {
      return Reply.error(400, "the request body is not a JSON object");
    }
    String model = j.path("model").asText("");
    if (model.isEmpty()) {
      return new Reply(400, OpenAiJson.errorBody(400, "you must provide a model parameter",
          "invalid_request_error", "model", null), Map.of());
    }
    if (server.rejectResponseFormat() && j.has("response_format")) {
      return new Reply(400, OpenAiJson.errorBody(400, "Failed to initialize samplers",
          "invalid_request_error", null, null), Map.of());
    }
    if (!server.models().contains(model) && !server.answerAnyModel()) {
      return new Reply(404, OpenAiJson.errorBody(404,
          "The model `" + model + "` does not exist or you do not have access to it.",
          "invalid_request_error", "model", "model_not_found"), Map.of());
    }
    JsonNode messagesNode = j.path("messages");
    if (!messagesNode.isArray() || messagesNode.isEmpty()) {
      return new Reply(400, OpenAiJson.errorBody(400, "messages must be a non-empty array",
          "invalid_request_error", "messages", null), Map.of());
    }
    int n = j.has("n") ? j.path("n").asInt(0) : 1;
    if (n < 1 || n > server.maxN()) {
      return new Reply(400, OpenAiJson.errorBody(400, "n must be between 1 and " + server.maxN()
          + ", got " + j.path("n"), "invalid_request_error", "n", null), Map.of());
    }
    NMode mode = server.nMode();
    if (mode == NMode.REFUSE && n > 1) {
      int status = server.refuseStatus();
      return Reply.error(status, "Only one completion choice is allowed (request asked for n="
          + n + "); send n=1");
    }
    if (mode == NMode.IGNORE) {
      n = 1;
    }
    boolean stream = j.path("stream").asBoolean(false);
    if (stream && n > 1 && server.streamMode() == StreamMode.REFUSE_N) {
      return Reply.error(400, "Streaming is not supported with more than one choice (the"
          + " request asked for n=" + n + " with stream=true)");
    }
    List<ChatCall.Message> messages = new ArrayList<>();
    for (JsonNode m : messagesNode) {
      messages.add(new ChatCall.Message(m.path("role").asText(""), contentText(m.path("content"))));
    }
    Integer maxTokens = intOrNull(j.has("max_completion_tokens")
        ? j.path("max_completion_tokens") : j.path("max_tokens"));
    ChatCall call = new ChatCall(model, messages, n,
        j.path("seed").isIntegralNumber() ? j.path("seed").asLong() : null,
        j.path("temperature").isNumber() ? j.path("temperature").asDouble() : null,
        maxTokens, rec.updateRequest(), j);

    List<String> texts = new ArrayList<>(server.responder().respond(call));
    Fault.Kind kind = fault == null ? null : fault.kind();
    if (kind == Fault.Kind.ANSWER_TEXT) {
      texts.replaceAll(t -> fault.body());
    }
    List<String> finish = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      texts.set(i, shape(texts.get(i), call.updateRequest(), kind));
      String reason = kind == Fault.Kind.FINISH_LENGTH ? "length" : "stop";
      if (maxTokens != null && tokens(texts.get(i)) > maxTokens) {
        texts.set(i, texts.get(i).substring(0, Math.min(texts.get(i).length(), maxTokens * 4)));
        reason = "length";
      }
      finish.add(reason);
    }
    if (kind == Fault.Kind.FEWER_CHOICES && fault.count() < texts.size()) {
      texts = new ArrayList<>(texts.subList(0, fault.count()));
    }
    long promptTokens = tokens(call.allText());
    long cachedTokens = server.prefill(call.allText()); // prefix-cache model (issue 19)
    long completionTokens = 0;
    long longest = 0;
    for (String t : texts) {
      completionTokens += tokens(t);
      longest = Math.max(longest, tokens(t));
    }
    if (stream) {
      // Streamed: the stream waits out the latency, then sends the choices token by token.
      if (server.streamMode() == StreamMode.FIRST_ONLY && texts.size() > 1) {
        texts = new ArrayList<>(texts.subList(0, 1));
        finish = new ArrayList<>(finish.subList(0, 1));
      }
      return Reply.streamed(new ChatStream(server, rec.path(), "chatcmpl-sim-" + rec.sequence(),
          model, kind == Fault.Kind.NO_CHOICES ? List.of() : texts, finish, promptTokens, server.latencyNanos() + extraDelayNanos,
          j.path("stream_options").path("include_usage").asBoolean(false)));
    }
    server.simulate(rec.path(),
        server.latencyNanos() + longest * server.tokenDelayNanos() + extraDelayNanos
            + server.prefillNanos(promptTokens - cachedTokens));

    ObjectNode root = OpenAiJson.NODES.objectNode();
    root.put("id", "chatcmpl-sim-" + rec.sequence());
    root.put("object", "chat.completion");
    root.put("created", System.currentTimeMillis() / 1000);
    root.put("model", model);
    if (kind != Fault.Kind.NO_CHOICES) {
      ArrayNode choices = root.putArray("choices");
      for (int i = 0; i < texts.size(); i++) {
        ObjectNode c = choices.addObject();
        c.put("index", i);
        ObjectNode msg = c.putObject("message");
        msg.put("role", "assistant");
        msg.put("content", texts.get(i));
        c.putNull("logprobs");
        c.put("finish_reason", finish.get(i));
      }
    }
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", promptTokens);
    usage.put("completion_tokens", completionTokens);
    usage.put("total_tokens", promptTokens + completionTokens);
    if (server.prefixCache().isPresent()) {
      usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens);
    }
    return Reply.ok(OpenAiJson.write(root));
  }

  private String shape(String text, boolean update, Fault.Kind kind) {
    String start = server.startTag();
    String end = server.endTag();
    if (kind == Fault.Kind.UPDATE_EMPTY) {
      return "";
    }
    if (!update || kind == Fault.Kind.UPDATE_WITHOUT_TAGS) {
      return text;
    }
    if (kind == Fault.Kind.UPDATE_TAG_TEXT_INSIDE) {
      return start + "Write the improved answer between " + start + " and " + end + ". " + text
          + end;
    }
    return start + text + end;
  }

  /** Text of a message's content, whether a string or an array of text parts. */
  static String contentText(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      StringBuilder s = new StringBuilder();
      for (JsonNode part : content) {
        s.append(part.path("text").asText(""));
      }
      return s.toString();
    }
    return "";
  }

  private static Integer intOrNull(JsonNode node) {
    return node.isIntegralNumber() ? node.asInt() : null;
  }

  /** Four characters per token, like tpo-core's approximate counter. */
  static long tokens(String text) {
    return (text.length() + 3) / 4;
  }
}
