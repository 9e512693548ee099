package dev.tpo;

import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.model.ChatRequest;
import java.util.stream.Collectors;

/** Helpers to script model answers in tests. */
final class Scripts {
  private Scripts() {}

  /** The new value wrapped in the engine's default tags. */
  static String tagged(String value) {
    return "<NEW_VALUE>" + value + "</NEW_VALUE>";
  }

  /** Every message of a request, joined, for content assertions. */
  static String allText(ChatRequest r) {
    return r.messages().stream().map(ChatMessage::content).collect(Collectors.joining("\n"));
  }

  /** The system message of a request, or the empty string. */
  static String system(ChatRequest r) {
    return r.messages().stream().filter(m -> m.role() == dev.tpo.core.model.ChatRole.SYSTEM)
        .map(ChatMessage::content).findFirst().orElse("");
  }
}
