package dev.tpo.core.text;

/**
 * Counts and truncates tokens, so budgets (a response cut to 2048 tokens before it enters a
 * prompt, a gradient context kept inside the context window) can be enforced without an ML engine.
 * The default {@link #approximate()} assumes about four characters per token, which is close for
 * English text under Llama-3 and GPT tokenizers; plug in an exact tokenizer where it matters.
 *
 * <p>Implementations must be thread-safe.
 */
public interface TokenCounter {

  /**
   * Counts the tokens of a text.
   *
   * @param text the text
   * @return the count, at least 0
   */
  int count(String text);

  /**
   * Cuts a text to at most {@code maxTokens} tokens, keeping its beginning.
   *
   * @param text the text
   * @param maxTokens the budget, at least 0
   * @return the text itself when it fits, else its longest prefix that fits
   */
  String truncate(String text, int maxTokens);

  /**
   * The approximate counter: {@code ceil(chars / 4)} tokens, never splitting a surrogate pair.
   *
   * @return a shared, stateless instance
   */
  static TokenCounter approximate() {
    return ApproximateTokenCounter.INSTANCE;
  }
}
