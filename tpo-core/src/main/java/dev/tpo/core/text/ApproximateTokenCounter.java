package dev.tpo.core.text;

/** Four characters per token. Stateless; thread-safe. */
final class ApproximateTokenCounter implements TokenCounter {
  static final ApproximateTokenCounter INSTANCE = new ApproximateTokenCounter();
  private static final int CHARS_PER_TOKEN = 4;

  private ApproximateTokenCounter() {}

  @Override
  public int count(String text) {
    return (text.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }

  @Override
  public String truncate(String text, int maxTokens) {
    if (maxTokens < 0) {
      throw new IllegalArgumentException("maxTokens must be >= 0, got " + maxTokens);
    }
    long maxChars = (long) maxTokens * CHARS_PER_TOKEN;
    if (text.length() <= maxChars) {
      return text;
    }
    int end = (int) maxChars;
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }

  @Override
  public String toString() {
    return "TokenCounter.approximate()";
  }
}
