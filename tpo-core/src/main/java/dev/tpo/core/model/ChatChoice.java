package dev.tpo.core.model;

import java.util.Objects;

/**
 * One generated choice of a chat response.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param index the choice's position, from 0
 * @param text the generated text, never null (empty when the server sent none)
 * @param finishReason why generation stopped
 */
public record ChatChoice(int index, String text, FinishReason finishReason) {

  /**
   * Validates the fields.
   *
   * @param index the choice's position, from 0
   * @param text the generated text, never null (empty when the server sent none)
   * @param finishReason why generation stopped
   */
  public ChatChoice {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, got " + index);
    }
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(finishReason, "finishReason");
  }

  /**
   * Whether the text was cut off at the token limit.
   *
   * @return true when {@link FinishReason#LENGTH}
   */
  public boolean truncated() {
    return finishReason == FinishReason.LENGTH;
  }
}
