package dev.tpo.adapter.reward;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.adapter.http.Secrets;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.error.RewardScoringException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Lenient readers for the answer shapes of reward servers, which drift between versions:
 *
 * <ul>
 *   <li>vLLM {@code /pooling}: {@code {data:[{index, data:[x]}]}}, {@code {data:[{index, data:x}]}},
 *       or per-token {@code data:[[x0],[x1],...]} (the last token's value is the reward);
 *   <li>vLLM {@code /classify}: {@code {data:[{index, probs:[x]}]}} (raw logits when sent with
 *       {@code use_activation:false}), or {@code logits}, {@code data}, {@code score} instead of
 *       {@code probs};
 *   <li>text-embeddings-inference {@code /predict}: {@code [[{score, label}], ...]}.
 * </ul>
 *
 * <p>Items are placed by their {@code index} (by position when absent); a missing item, a missing
 * value or a non-finite value is a {@link RewardScoringException} naming the scorer and the index.
 * Stateless; thread-safe.
 */
final class ScoreShapes {
  private static final List<String> VALUE_FIELDS =
      List.of("data", "logits", "probs", "score", "scores", "embedding");

  private ScoreShapes() {}

  /**
   * Reads a vLLM {@code {data:[{index, ...}]}} answer into one score per input.
   *
   * @param scorer the scorer's name, for messages
   * @param root the answer
   * @param expected how many inputs were sent
   * @param firstInput the batch position of the first input, for messages
   * @param scoreIndex which class value to take when there are several, or null
   * @param fields the value fields to look for, in order of preference
   * @return the scores in input order
   */
  static List<Double> vllm(String scorer, JsonNode root, int expected, int firstInput,
      Integer scoreIndex, List<String> fields) {
    JsonNode data = root.get("data");
    if (data == null || !data.isArray()) {
      throw new MalformedResponseException(
          "reward scorer '" + scorer + "' got an answer without a 'data' array: "
              + Secrets.snippet(root.toString()), root.toString());
    }
    Double[] scores = new Double[expected];
    for (int pos = 0; pos < data.size(); pos++) {
      JsonNode item = data.get(pos);
      int index = item.path("index").asInt(pos);
      if (index < 0 || index >= expected) {
        throw new RewardScoringException(
            "reward scorer '" + scorer + "' got a score for index " + index + " but sent only "
                + expected + " inputs: " + Secrets.snippet(root.toString()));
      }
      JsonNode value = null;
      for (String f : fields) {
        if (item.hasNonNull(f)) {
          value = item.get(f);
          break;
        }
      }
      scores[index] = single(scorer, value, firstInput + index, scoreIndex);
    }
    return complete(scorer, scores, firstInput);
  }

  /**
   * Reads a text-embeddings-inference {@code /predict} answer for a batch.
   *
   * @param scorer the scorer's name
   * @param root the answer: one list of {@code {score, label}} per input
   * @param expected how many inputs were sent
   * @param firstInput the batch position of the first input
   * @param label which label's score to take when there are several, or null
   * @return the scores in input order
   */
  static List<Double> tei(String scorer, JsonNode root, int expected, int firstInput,
      String label) {
    if (!root.isArray()) {
      throw new MalformedResponseException(
          "reward scorer '" + scorer + "' expected a JSON array from /predict, got: "
              + Secrets.snippet(root.toString()), root.toString());
    }
    JsonNode perInput = root;
    if (expected == 1 && root.size() > 0 && root.get(0).isObject()) {
      perInput = JsonPoster.MAPPER.createArrayNode().add(root); // a single input answered with a flat list
    }
    Double[] scores = new Double[expected];
    for (int i = 0; i < Math.min(expected, perInput.size()); i++) {
      JsonNode predictions = perInput.get(i);
      if (predictions.isObject()) {
        predictions = JsonPoster.MAPPER.createArrayNode().add(predictions);
      }
      scores[i] = teiScore(scorer, predictions, firstInput + i, label);
    }
    return complete(scorer, scores, firstInput);
  }

  private static Double teiScore(String scorer, JsonNode predictions, int index, String label) {
    if (!predictions.isArray() || predictions.isEmpty()) {
      return null;
    }
    if (label != null) {
      for (JsonNode p : predictions) {
        if (label.equals(p.path("label").asText(null))) {
          return single(scorer, p.get("score"), index, null);
        }
      }
      throw new RewardScoringException(
          "reward scorer '" + scorer + "' found no label '" + label + "' for response #" + index
              + " in " + Secrets.snippet(predictions.toString()) + "; use one of the labels shown");
    }
    if (predictions.size() > 1) {
      throw new RewardScoringException(
          "reward scorer '" + scorer + "' got " + predictions.size() + " labels for response #"
              + index + " (" + Secrets.snippet(predictions.toString()) + "); choose one with"
              + " TeiRewardScorer.Builder.label(...) or the spec's ?label=NAME");
    }
    return single(scorer, predictions.get(0).get("score"), index, null);
  }

  /** Reduces a value to one number: a number, a one-element list, or a per-token list's last. */
  private static Double single(String scorer, JsonNode value, int index, Integer scoreIndex) {
    JsonNode v = value;
    while (v != null && v.isArray()) {
      if (v.isEmpty()) {
        return null;
      }
      if (v.get(0).isArray()) {
        v = v.get(v.size() - 1); // per-token values: the reward sits on the last token
      } else if (v.size() == 1) {
        v = v.get(0);
      } else if (scoreIndex != null && scoreIndex < v.size()) {
        v = v.get(scoreIndex);
      } else {
        throw new RewardScoringException(
            "reward scorer '" + scorer + "' got " + v.size() + " values for response #" + index
                + " (" + Secrets.snippet(v.toString()) + ") where one reward was expected; the"
                + " model has several classes: pick one with scoreIndex(...)");
      }
    }
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isTextual()) {
      try {
        return Double.parseDouble(v.asText().trim());
      } catch (NumberFormatException e) {
        throw new RewardScoringException(
            "reward scorer '" + scorer + "' got '" + v.asText() + "' for response #" + index
                + " where a number was expected");
      }
    }
    return null;
  }

  private static List<Double> complete(String scorer, Double[] scores, int firstInput) {
    List<Double> out = new ArrayList<>(scores.length);
    for (int i = 0; i < scores.length; i++) {
      Double s = scores[i];
      if (s == null) {
        throw new RewardScoringException(
            "reward scorer '" + scorer + "' got no score for response #" + (firstInput + i)
                + "; the server's answer lacks it. Check that the server runs a reward"
                + " (classification) model and its version's answer format");
      }
      if (s.isNaN() || s.isInfinite()) {
        throw new RewardScoringException(
            "reward scorer '" + scorer + "' got " + s + " for response #" + (firstInput + i)
                + "; scores must be finite. Check the reward model (fp16 overflow, empty input)");
      }
      out.add(s);
    }
    return Collections.unmodifiableList(out);
  }
}
