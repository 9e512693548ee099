package dev.tpo.adapter.reward;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the rating in a judge's reply, tidy or messy, in this order: a JSON object with a {@code
 * score} field (also inside a code fence or among other text); the last {@code <score>N</score>}
 * tag; the last phrase such as "Score: 7", "Rating - 8/10", "**7/10**" or "7 out of 10". A number
 * outside 0 to {@code max} does not count. Stateless; thread-safe.
 */
final class JudgeScores {
  private static final String NUM = "(-?\\d+(?:\\.\\d+)?)";
  private static final Pattern TAG =
      Pattern.compile("(?is)<score>\\s*\\**\\s*" + NUM + "\\s*(?:/\\s*\\d+)?\\s*\\**\\s*</score>");
  private static final Pattern JSON_OBJECT = Pattern.compile("(?s)\\{[^{}]*\"score\"[^{}]*}");
  private static final Pattern LABELLED = Pattern.compile(
      "(?i)(?:score|rating|grade)\\s*(?:is|of|=|:|-)?\\s*[*_\"']*\\s*" + NUM);
  private static final Pattern OUT_OF = Pattern.compile("(?i)" + NUM + "\\s*(?:/|out of)\\s*(\\d+)");

  private JudgeScores() {}

  /**
   * The rating in a reply.
   *
   * @param reply the judge's reply
   * @param max the top of the scale
   * @return the rating, or empty when none within 0 to {@code max} is found
   */
  static OptionalDouble parse(String reply, int max) {
    if (reply == null || reply.isBlank()) {
      return OptionalDouble.empty();
    }
    OptionalDouble json = fromJson(reply, max);
    if (json.isPresent()) {
      return json;
    }
    OptionalDouble tag = last(TAG.matcher(reply), max);
    if (tag.isPresent()) {
      return tag;
    }
    Matcher outOf = OUT_OF.matcher(reply);
    Double found = null;
    while (outOf.find()) {
      if (Integer.parseInt(outOf.group(2)) == max) {
        double v = Double.parseDouble(outOf.group(1));
        if (inRange(v, max)) {
          found = v;
        }
      }
    }
    if (found != null) {
      return OptionalDouble.of(found);
    }
    return last(LABELLED.matcher(reply), max);
  }

  private static OptionalDouble fromJson(String reply, int max) {
    Matcher m = JSON_OBJECT.matcher(reply);
    Double found = null;
    while (m.find()) {
      try {
        JsonNode node = JsonPoster.MAPPER.readTree(m.group());
        JsonNode score = node.get("score");
        double v;
        if (score != null && score.isNumber()) {
          v = score.asDouble();
        } else if (score != null && score.isTextual()) {
          v = Double.parseDouble(score.asText().trim());
        } else {
          continue;
        }
        if (inRange(v, max)) {
          found = v;
        }
      } catch (java.io.IOException | NumberFormatException e) {
        // not a usable object; look further
      }
    }
    return found == null ? OptionalDouble.empty() : OptionalDouble.of(found);
  }

  private static OptionalDouble last(Matcher m, int max) {
    Double found = null;
    while (m.find()) {
      double v = Double.parseDouble(m.group(1));
      if (inRange(v, max)) {
        found = v;
      }
    }
    return found == null ? OptionalDouble.empty() : OptionalDouble.of(found);
  }

  private static boolean inRange(double v, int max) {
    return v >= 0 && v <= max && !Double.isNaN(v);
  }
}
