package dev.tpo.core.model;

import java.util.Locale;

/**
 * Why the model stopped generating a choice. {@link #LENGTH} means the text was cut off at the
 * token limit and callers should treat it as possibly incomplete.
 *
 * <p>Immutable; thread-safe.
 */
public enum FinishReason {
  /** A natural stop or a stop sequence. */
  STOP,
  /** The token limit was reached; the text may be incomplete. */
  LENGTH,
  /** The server's content filter stopped it. */
  CONTENT_FILTER,
  /** The model called a tool. */
  TOOL_CALLS,
  /** The server sent no reason or one this library does not know. */
  UNKNOWN;

  /**
   * Parses a server's finish reason leniently.
   *
   * @param wire the value of {@code finish_reason}, may be null
   * @return the matching reason, {@link #UNKNOWN} when null or unrecognised
   */
  public static FinishReason fromWire(String wire) {
    if (wire == null) {
      return UNKNOWN;
    }
    switch (wire.trim().toLowerCase(Locale.ROOT)) {
      case "stop":
      case "eos":
      case "end_turn":
      case "stop_sequence":
        return STOP;
      case "length":
      case "max_tokens":
        return LENGTH;
      case "content_filter":
        return CONTENT_FILTER;
      case "tool_calls":
      case "function_call":
        return TOOL_CALLS;
      default:
        return UNKNOWN;
    }
  }
}
