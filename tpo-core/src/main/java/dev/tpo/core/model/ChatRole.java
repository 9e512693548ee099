package dev.tpo.core.model;

/** The author of a chat message. Immutable; thread-safe. */
public enum ChatRole {
  /** Instructions that frame the conversation. */
  SYSTEM,
  /** The user's turn. */
  USER,
  /** The model's turn. */
  ASSISTANT;

  /**
   * The wire name used by OpenAI-compatible servers.
   *
   * @return "system", "user" or "assistant"
   */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
