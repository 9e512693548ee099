package dev.tpo.textgrad.optim;

import dev.tpo.core.error.ConfigurationException;
import java.util.Optional;

/**
 * The start and end tags between which the optimizer asks for the new value, used the same way in
 * every prompt and in parsing.
 *
 * <p>Parsing ({@link #parse(String, boolean)}) has two modes, chosen from the value being
 * optimized:
 *
 * <ul>
 *   <li>When that value itself contains the tag text, the new value runs from the FIRST start tag
 *       to the LAST end tag after it, so tags inside the value stay in it.
 *   <li>Otherwise it runs to the last end tag from the start tag that matches it, pairing tags
 *       as brackets: a preamble that merely mentions the tags ("I put it in &lt;NEW_VALUE&gt;
 *       tags:") is skipped, and a pair of tags mentioned inside the value stays in it whole, never
 *       leaving a stray end tag at its start. When the end tags outnumber the start tags, the
 *       value starts at the first start tag.
 * </ul>
 *
 * <p>An answer with a start tag but no end tag after it (typically cut off at the token limit)
 * gives the rest of the text, flagged incomplete, without a trailing fragment of the end tag. An
 * answer without a start tag gives nothing.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param start the start tag, e.g. {@code <NEW_VALUE>}
 * @param end the end tag, e.g. {@code </NEW_VALUE>}
 */
public record ValueTags(String start, String end) {
  /** {@code <NEW_VALUE>} and {@code </NEW_VALUE>}. */
  public static final ValueTags DEFAULT = new ValueTags("<NEW_VALUE>", "</NEW_VALUE>");

  /**
   * Validates the tags.
   *
   * @param start the start tag, e.g. {@code <NEW_VALUE>}
   * @param end the end tag, e.g. {@code </NEW_VALUE>}
   */
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
   * <p>Immutable value; thread-safe.
   *
   * @param value the text between the tags, stripped of surrounding white space
   * @param complete whether the end tag was found
   */
  public record Parsed(String value, boolean complete) {}

  /**
   * Parses an answer in the mode for values that may contain the tags (first start tag to last end
   * tag); same as {@code parse(text, true)}.
   *
   * @param text the model's answer
   * @return the value, empty when the answer has no start tag
   */
  public Optional<Parsed> parse(String text) {
    return parse(text, true);
  }

  /**
   * Parses an answer.
   *
   * @param text the model's answer
   * @param valueContainsTags whether the value being optimized contains either tag's text: then
   *     the new value starts at the first start tag, else at the start tag that the last end tag
   *     closes, tags paired as brackets
   * @return the value, empty when the answer has no start tag
   */
  public Optional<Parsed> parse(String text, boolean valueContainsTags) {
    int first = text.indexOf(start);
    if (first < 0) {
      return Optional.empty();
    }
    int e = text.lastIndexOf(end);
    int s = first;
    if (!valueContainsTags) {
      s = e >= first + start.length() ? matchingStart(text, e, first)
          : text.lastIndexOf(start);
    }
    int from = s + start.length();
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

  /**
   * The start tag that the end tag at {@code endAt} closes, pairing tags as brackets backwards
   * from it; {@code first} when the end tags before it outnumber the start tags.
   */
  private int matchingStart(String text, int endAt, int first) {
    int depth = 1;
    int pos = endAt;
    while (pos > first) {
      int ps = text.lastIndexOf(start, pos - 1);
      int pe = pos >= end.length() ? text.lastIndexOf(end, pos - 1) : -1;
      if (ps < 0 && pe < 0) {
        break;
      }
      if (pe > ps) {
        depth++;
        pos = pe;
      } else {
        depth--;
        pos = ps;
        if (depth == 0) {
          return ps;
        }
      }
    }
    return first;
  }

  /**
   * Whether a text contains the text of either tag.
   *
   * @param text the text
   * @return true when it contains the start or the end tag
   */
  public boolean occursIn(String text) {
    return text.contains(start) || text.contains(end);
  }
}
