package dev.tpo;

import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.model.ChatRequest;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Helpers to script model answers in tests. */
final class Scripts {
  private Scripts() {}

  /** The new value wrapped in the engine's default tags. */
  static String tagged(String value) {
    return "<NEW_VALUE>" + value + "</NEW_VALUE>";
  }

  /** N tagged values named prefix-0..prefix-(n-1). */
  static String[] taggedN(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> tagged(prefix + "-" + i)).toArray(String[]::new);
  }

  /** N plain values named prefix-0..prefix-(n-1). */
  static String[] plainN(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + "-" + i).toArray(String[]::new);
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
