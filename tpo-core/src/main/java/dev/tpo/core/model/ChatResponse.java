package dev.tpo.core.model;

import java.util.List;
import java.util.Objects;

/**
 * The answer to one {@link ChatRequest}: its choices in order, and the token usage the server
 * reported (summed over all HTTP requests an adapter made to produce it).
 *
 * <p>Immutable value; thread-safe.
 *
 * @param choices the choices, at least one
 * @param usage token usage
 * @param model the model name the server reported, or the empty string
 */
public record ChatResponse(List<ChatChoice> choices, TokenUsage usage, String model) {

  /**
   * Validates and copies the fields.
   *
   * @param choices the choices, at least one
   * @param usage token usage
   * @param model the model name the server reported, or the empty string
   */
  public ChatResponse {
    choices = List.copyOf(Objects.requireNonNull(choices, "choices"));
    Objects.requireNonNull(usage, "usage");
    model = model == null ? "" : model;
  }

  /**
   * A response with the given choices.
   *
   * @param usage token usage
   * @param choices the choices
   * @return the response
   */
  public static ChatResponse of(TokenUsage usage, List<ChatChoice> choices) {
    return new ChatResponse(choices, usage, "");
  }

  /**
   * The text of the first choice.
   *
   * @return the text
   * @throws IllegalStateException when there is no choice
   */
  public String text() {
    if (choices.isEmpty()) {
      throw new IllegalStateException("the response has no choices");
    }
    return choices.get(0).text();
  }

  /**
   * The texts of all choices in order.
   *
   * @return an immutable list of texts
   */
  public List<String> texts() {
    return choices.stream().map(ChatChoice::text).toList();
  }
}
