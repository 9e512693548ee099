package dev.tpo.reward.djl;

import dev.tpo.core.error.ConfigurationException;
import java.util.Locale;

/**
 * Which end of an over-long input is cut off. Special tokens the tokenizer adds around the input
 * (such as BOS, {@code [CLS]} and {@code [SEP]}) are always kept; only the text between them is
 * shortened.
 *
 * <p>Immutable enum; thread-safe.
 */
public enum TruncationSide {
  /** Keep the beginning (the prompt and the start of the response), drop the end. The default. */
  RIGHT,
  /** Keep the end (the end of the response), drop the beginning of the prompt. */
  LEFT;

  /**
   * Parses {@code left} or {@code right}, any case.
   *
   * @param text the side
   * @return the side
   * @throws ConfigurationException when the text is neither
   */
  public static TruncationSide parse(String text) {
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "right":
        return RIGHT;
      case "left":
        return LEFT;
      default:
        throw new ConfigurationException(
            "truncation side '" + text + "' is not known: use right (keep the beginning, the"
                + " default) or left (keep the end)");
    }
  }
}
