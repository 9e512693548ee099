package dev.tpo.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * A parsed chat-completion request, as handed to a {@link ChatResponder}.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param model the requested model name
 * @param messages the conversation, in order
 * @param n how many choices the server will generate (after applying its {@link NMode})
 * @param seed the request's seed, or {@code null}
 * @param temperature the request's temperature, or {@code null}
 * @param maxTokens the request's {@code max_tokens} (or {@code max_completion_tokens}), or {@code null}
 * @param updateRequest whether a message contains the update start tag
 * @param json the whole request body
 */
public record ChatCall(
    String model,
    List<Message> messages,
    int n,
    Long seed,
    Double temperature,
    Integer maxTokens,
    boolean updateRequest,
    JsonNode json) {

  /**
   * Validates and copies the fields.
   *
   * @param model the requested model name
   * @param messages the conversation, in order
   * @param n how many choices the server will generate (after applying its {@link NMode})
   * @param seed the request's seed, or {@code null}
   * @param temperature the request's temperature, or {@code null}
   * @param maxTokens the request's {@code max_tokens} (or {@code max_completion_tokens}), or {@code null}
   * @param updateRequest whether a message contains the update start tag
   * @param json the whole request body
   */
  public ChatCall {
    Objects.requireNonNull(model, "model");
    messages = List.copyOf(messages);
    Objects.requireNonNull(json, "json");
  }

  /**
   * One chat message.
   *
   * @param role the role ({@code system}, {@code user}, {@code assistant})
   * @param content the text
   */
  public record Message(String role, String content) {}

  /**
   * The text of the last user message, or the empty string.
   *
   * @return the text
   */
  public String lastUserText() {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if ("user".equals(messages.get(i).role())) {
        return messages.get(i).content();
      }
    }
    return "";
  }

  /**
   * All message texts joined with newlines.
   *
   * @return the text
   */
  public String allText() {
    StringBuilder s = new StringBuilder();
    for (Message m : messages) {
      s.append(m.content()).append('\n');
    }
    return s.toString();
  }
}
