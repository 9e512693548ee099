package dev.tpo.core.model;

import java.util.Objects;

/**
 * One message of a chat conversation.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param role who wrote it
 * @param content the text, never null (may be empty)
 */
public record ChatMessage(ChatRole role, String content) {

  /**
   * Validates that neither field is null.
   *
   * @param role who wrote it
   * @param content the text, never null (may be empty)
   */
  public ChatMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  /**
   * A system message.
   *
   * @param content the text
   * @return the message
   */
  public static ChatMessage system(String content) {
    return new ChatMessage(ChatRole.SYSTEM, content);
  }

  /**
   * A user message.
   *
   * @param content the text
   * @return the message
   */
  public static ChatMessage user(String content) {
    return new ChatMessage(ChatRole.USER, content);
  }

  /**
   * An assistant message.
   *
   * @param content the text
   * @return the message
   */
  public static ChatMessage assistant(String content) {
    return new ChatMessage(ChatRole.ASSISTANT, content);
  }
}
