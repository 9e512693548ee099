package dev.tpo.textgrad.optim;

import dev.tpo.core.error.ConfigurationException;
import java.util.Optional;

/**
 * The start and end tags between which the optimizer asks for the new value, used the same way in
 * every prompt and in parsing.
 *
 * <p>Parsing is robust to a value that itself contains the tag text: the value runs from the
 * FIRST start tag to the LAST end tag after it, so tags inside the value stay in it. An answer with
 * a start tag but no end tag after it (typically cut off at the token limit) gives the rest of the
 * text, flagged incomplete, without a trailing fragment of the end tag. An answer without a start
 * tag gives nothing.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param start the start tag, e.g. {@code <NEW_VALUE>}
 * @param end the end tag, e.g. {@code </NEW_VALUE>}
 */
public record ValueTags(String start, String end) {
  /** {@code <NEW_VALUE>} and {@code </NEW_VALUE>}. */
  public static final ValueTags DEFAULT = new ValueTags("<NEW_VALUE>", "</NEW_VALUE>");

  /** Validates the tags. */
  public ValueTags {
    if (start == null || start.isBlank() || end == null || end.isBlank()) {
      throw new ConfigurationException(
          "ValueTags need a non-blank start and end tag, got start=" + start + ", end=" + end);
    }
    if (start.equals(end) || end.contains(start)) {
      throw new ConfigurationException("ValueTags end tag " + end + " must not contain the start"
          + " tag " + start + "; use a pair such as <NEW_VALUE> and </NEW_VALUE>");
    }
  }

  /**
   * A value parsed from an answer.
   *
   * @param value the text between the tags, stripped of surrounding white space
   * @param complete whether the end tag was found
   */
  public record Parsed(String value, boolean complete) {}

  /**
   * Parses an answer.
   *
   * @param text the model's answer
   * @return the value, empty when the answer has no start tag
   */
  public Optional<Parsed> parse(String text) {
    int s = text.indexOf(start);
    if (s < 0) {
      return Optional.empty();
    }
    int from = s + start.length();
    int e = text.lastIndexOf(end);
    if (e >= from) {
      return Optional.of(new Parsed(text.substring(from, e).strip(), true));
    }
    String rest = text.substring(from);
    for (int k = Math.min(end.length() - 1, rest.length()); k > 0; k--) {
      if (rest.endsWith(end.substring(0, k))) {
        rest = rest.substring(0, rest.length() - k);
        break;
      }
    }
    return Optional.of(new Parsed(rest.strip(), false));
  }
}
