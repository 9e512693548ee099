package dev.tpo.simulator;

/** Builds deterministic filler answers from a hash. Stateless; thread-safe. */
final class Lorem {
  private static final String[] WORDS = {
    "answer", "model", "clear", "detail", "reason", "example", "step", "result", "note",
    "helpful", "concise", "because", "therefore", "first", "second", "finally", "data",
    "value", "simple", "careful", "check", "idea", "point", "summary", "context", "useful",
    "prompt", "response", "quality", "better", "worse", "again", "method", "score"
  };

  private Lorem() {}

  static String answer(long hash, int choice, int words) {
    StringBuilder s = new StringBuilder(16 + words * 8);
    s.append("Simulated answer ").append(Long.toHexString(hash)).append(" (choice ")
        .append(choice).append(')');
    long h = hash;
    for (int w = 0; w < words; w++) {
      h = ChatResponder.mix(h + w);
      s.append(' ').append(WORDS[(int) Math.floorMod(h, (long) WORDS.length)]);
    }
    return s.append('.').toString();
  }
}
