package dev.tpo.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Produces the choice texts of the {@link SimulatedOpenAiServer}'s chat completions. Must be
 * deterministic if tests are to be, and thread-safe: it is called concurrently.
 *
 * <p>The server wraps every text in the update tags itself when the request is an update request
 * (see {@link ChatCall#updateRequest()}); responders return plain answers.
 */
@FunctionalInterface
public interface ChatResponder {

  /**
   * The texts of the choices, normally {@code call.n()} of them. Returning fewer makes the server
   * send fewer choices.
   *
   * @param call the request
   * @return the choice texts, in order
   */
  List<String> respond(ChatCall call);

  /**
   * The default responder: {@link #deterministic(int)} with 40 filler words.
   *
   * @return the responder
   */
  static ChatResponder deterministic() {
    return deterministic(40);
  }

  /**
   * A responder whose texts depend only on the request's last user message, seed, temperature
   * and the choice index, so choices differ from one another and from other requests, and
   * repeating a request repeats its answers. Each text names its choice and is padded with
   * {@code words} pseudo-random words.
   *
   * @param words how many filler words each answer carries, at least 0
   * @return the responder
   */
  static ChatResponder deterministic(int words) {
    if (words < 0) {
      throw new IllegalArgumentException("words must be >= 0, got " + words);
    }
    return call -> {
      List<String> texts = new ArrayList<>(call.n());
      long base = mix(call.lastUserText().hashCode() * 31L + call.allText().length());
      base = mix(base ^ (call.seed() == null ? 0x5eedL : call.seed()));
      for (int i = 0; i < call.n(); i++) {
        long h = mix(base + 0x9E3779B97F4A7C15L * (i + 1));
        texts.add(Lorem.answer(h, i, words));
      }
      return texts;
    };
  }

  /**
   * A responder that grades like an LLM judge when asked to, and otherwise answers as {@code
   * others} does. A request is a rating request when its last user message asks for the rating as
   * {@code <score>N</score>} or as a JSON {@code "score"} field on a scale "from 0 to MAX" (the
   * wording of the project's judge scorer, {@code --reward judge}); each choice then gives a short
   * reason and a whole-number rating from 0 to MAX that depends only on the message, in the format
   * asked for.
   *
   * @param others answers every other request
   * @return the responder
   */
  static ChatResponder grading(ChatResponder others) {
    Pattern scale = Pattern.compile("from 0 to (\\d+)");
    return call -> {
      String ask = call.lastUserText();
      boolean tagged = ask.contains("<score>N</score>");
      boolean json = !tagged && ask.contains("\"score\": N");
      Matcher m = scale.matcher(ask);
      if (!(tagged || json) || !m.find()) {
        return others.respond(call);
      }
      int max = Integer.parseInt(m.group(1));
      int rating = (int) Math.floorMod(mix(ask.hashCode()), (long) max + 1);
      String reason = "The answer addresses the request; its detail and clarity set the rating.";
      List<String> texts = new ArrayList<>(call.n());
      for (int i = 0; i < call.n(); i++) {
        texts.add(json ? "{\"reasoning\": \"" + reason + "\", \"score\": " + rating + "}"
            : reason + " <score>" + rating + "</score>");
      }
      return texts;
    };
  }

  /**
   * A responder that answers every choice with the same fixed text.
   *
   * @param text the text
   * @return the responder
   */
  static ChatResponder fixed(String text) {
    return call -> {
      List<String> texts = new ArrayList<>(call.n());
      for (int i = 0; i < call.n(); i++) {
        texts.add(text);
      }
      return texts;
    };
  }

  /**
   * SplitMix64's finaliser: a well-spread 64-bit hash.
   *
   * @param z the input
   * @return the hash
   */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
