package dev.tpo.adapter.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.JsonValue;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tpo.adapter.http.JsonBuffers;
import dev.tpo.adapter.http.JsonErrors;
import dev.tpo.adapter.http.Secrets;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.model.ChatChoice;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatRole;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.FinishReason;
import dev.tpo.core.model.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates between tpo-core's chat values and the wire: the request body of a plain request
 * ({@link #body}), the SDK's request parameters for a streamed one ({@link #params}; both write the
 * same JSON), and a lenient reading of the response body (servers differ in the optional fields
 * they send).
 * Stateless; thread-safe.
 */
final class ChatWire {
  private static final ObjectMapper MAPPER = new ObjectMapper(JsonBuffers.factory());

  private ChatWire() {}

  /**
   * The SDK parameters for a request: every setting the request carries is sent explicitly; the
   * model's default extra body first, the request's own extra body over it.
   */
  @SuppressWarnings("deprecation") // max_tokens: the field every compatible server understands
  static ChatCompletionCreateParams params(
      String model, ChatRequest request, Map<String, Object> defaultExtraBody) {
    ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder().model(model);
    for (ChatMessage m : request.messages()) {
      switch (m.role()) {
        case SYSTEM:
          b.addSystemMessage(m.content());
          break;
        case ASSISTANT:
          b.addAssistantMessage(m.content());
          break;
        default:
          b.addUserMessage(m.content());
          break;
      }
    }
    b.n((long) request.n());
    request.temperature().ifPresent(b::temperature);
    request.topP().ifPresent(b::topP);
    request.maxTokens().ifPresent(t -> b.maxTokens((long) t));
    request.seed().ifPresent(b::seed);
    if (!request.stop().isEmpty()) {
      b.stopOfStrings(request.stop());
    }
    Map<String, Object> extra = new LinkedHashMap<>(defaultExtraBody);
    extra.putAll(request.extraBody());
    extra.forEach((k, v) -> b.putAdditionalBodyProperty(k, JsonValue.from(v)));
    return b.build();
  }

  /**
   * Writes the body of a plain request: the bytes the SDK's own mapper writes for {@code
   * params(model, request, defaultExtraBody)._body()} ({@code SdkJsonTest} checks them byte for
   * byte, for every field), with Jackson's generator and no SDK request objects. Why (issue
   * 21): the SDK's request classes take Jackson's bean introspection of about forty annotated
   * properties before the first body is written, 0.2 s of a command's start on two cores; this
   * writes the few fields a TPO request sets. Extra body values still go through the SDK's {@link
   * JsonValue}, as they do in {@link #params}.
   *
   * @param model the model name
   * @param request the request
   * @param defaultExtraBody the model's default extra body; the request's own goes over it
   * @return the JSON body, UTF-8
   */
  static byte[] body(String model, ChatRequest request, Map<String, Object> defaultExtraBody) {
    // sized for the usual body (ASCII text and its escapes), so that it is rarely copied to grow
    int size = 160 + model.length();
    for (ChatMessage m : request.messages()) {
      size += m.content().length() + m.content().length() / 16 + 32;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    try (JsonGenerator g = JsonBuffers.factory().createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("messages");
      for (ChatMessage m : request.messages()) {
        g.writeStartObject();
        if (m.role() == ChatRole.ASSISTANT) { // the SDK's assistant message lists its role first
          g.writeStringField("role", "assistant");
          g.writeStringField("content", m.content());
        } else {
          g.writeStringField("content", m.content());
          g.writeStringField("role", m.role() == ChatRole.SYSTEM ? "system" : "user");
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("model", model);
      if (request.maxTokens().isPresent()) {
        g.writeNumberField("max_tokens", (long) request.maxTokens().get());
      }
      g.writeNumberField("n", (long) request.n());
      if (request.seed().isPresent()) {
        g.writeNumberField("seed", request.seed().get());
      }
      if (!request.stop().isEmpty()) {
        g.writeArrayFieldStart("stop");
        for (String stop : request.stop()) {
          g.writeString(stop);
        }
        g.writeEndArray();
      }
      if (request.temperature().isPresent()) {
        g.writeNumberField("temperature", request.temperature().get());
      }
      if (request.topP().isPresent()) {
        g.writeNumberField("top_p", request.topP().get());
      }
      if (!defaultExtraBody.isEmpty() || !request.extraBody().isEmpty()) {
        Map<String, Object> extra = new LinkedHashMap<>(defaultExtraBody);
        extra.putAll(request.extraBody());
        for (Map.Entry<String, Object> e : extra.entrySet()) {
          g.writeFieldName(e.getKey());
          SdkJson.requests().writeValue(g, JsonValue.from(e.getValue()));
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the chat request: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /**
   * Reads a chat-completion body.
   *
   * @param body the raw body text
   * @param what the endpoint, for messages
   * @param apiKey the key to keep out of messages and the kept body, or null
   * @return the response with its choices ordered by index and renumbered from 0
   * @throws MalformedResponseException with the raw body (key redacted) when it is not JSON or
   *     lacks choices
   * @throws ConnectionFailedException when the JSON is cut off (ends early, or the body is empty):
   *     a transport failure, worth sending the request again
   */
  static ChatResponse parse(String body, String what, String apiKey) {
    JsonNode root;
    String shown = Secrets.snippet(body, apiKey);
    body = Secrets.redact(body, apiKey);
    try {
      root = MAPPER.readTree(body);
      if (root == null || root.isMissingNode()) {
        throw new ConnectionFailedException(what + " answered with an empty body. The server or"
            + " a proxy cut the answer off; check the server's log", null);
      }
    } catch (JsonEOFException e) {
      throw new ConnectionFailedException(
          what + " answered with a body that is cut off (" + JsonErrors.describe(e) + "): "
              + shown + ". The server or a proxy cut the answer off; check the server's log",
          null);
    } catch (JsonProcessingException e) {
      throw new MalformedResponseException(
          what + " answered with a body that is not JSON (" + JsonErrors.describe(e)
              + "): " + shown + ". Is the base URL an OpenAI-compatible /v1 endpoint? Check"
              + " the server's log",
          body, e);
    }
    JsonNode choicesNode = root == null ? null : root.get("choices");
    if (choicesNode == null || !choicesNode.isArray()) {
      throw new MalformedResponseException(
          what + " answered without a 'choices' array: " + Secrets.snippet(body)
              + ". Is the base URL an OpenAI-compatible /v1 endpoint?",
          body);
    }
    List<IndexedChoice> read = new ArrayList<>();
    for (int i = 0; i < choicesNode.size(); i++) {
      JsonNode c = choicesNode.get(i);
      if (c == null || !c.isObject()) {
        throw new MalformedResponseException(
            what + " answered with choice #" + i + " that is not an object: "
                + shown, body);
      }
      read.add(new IndexedChoice(c.path("index").asInt(i), text(c),
          FinishReason.fromWire(c.path("finish_reason").isTextual()
              ? c.get("finish_reason").asText() : null)));
    }
    read.sort(Comparator.comparingInt(IndexedChoice::index));
    List<ChatChoice> choices = new ArrayList<>(read.size());
    for (int i = 0; i < read.size(); i++) {
      choices.add(new ChatChoice(i, read.get(i).text(), read.get(i).reason()));
    }
    JsonNode usage = root.path("usage");
    TokenUsage tokens = TokenUsage.ofRequest(
        Math.max(0, usage.path("prompt_tokens").asLong(0)),
        Math.max(0, usage.path("completion_tokens").asLong(0)));
    return new ChatResponse(choices, tokens, root.path("model").asText(""));
  }

  private static String text(JsonNode choice) {
    JsonNode message = choice.get("message");
    if (message != null && message.get("content") != null && message.get("content").isTextual()) {
      return message.get("content").asText();
    }
    JsonNode text = choice.get("text");
    return text != null && text.isTextual() ? text.asText() : "";
  }

  private record IndexedChoice(int index, String text, FinishReason reason) {}
}
