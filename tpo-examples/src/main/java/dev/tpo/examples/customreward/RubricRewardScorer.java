package dev.tpo.examples.customreward;

import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.ScoredBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A custom {@link RewardScorer} with no model behind it: one point per required keyword the
 * response mentions, minus a penalty per 10 words beyond a target length. Useful when "better" is
 * checkable by rules (a house style, required facts), and as a template for your own scorer.
 *
 * <p>Batch first: {@link #scoreAll(String, List)}, the one method a scorer implements, scores every
 * candidate of a round at once. Immutable; thread-safe.
 */
public final class RubricRewardScorer implements RewardScorer {
  private final List<String> keywords;
  private final int targetWords;

  /**
   * Creates the scorer.
   *
   * @param keywords words or phrases a good answer mentions (case-insensitive)
   * @param targetWords the length above which answers lose points, at least 1
   */
  public RubricRewardScorer(List<String> keywords, int targetWords) {
    this.keywords = keywords.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
    if (targetWords < 1) {
      throw new IllegalArgumentException("targetWords must be at least 1, got " + targetWords);
    }
    this.targetWords = targetWords;
  }

  @Override
  public ScoredBatch scoreAll(String prompt, List<String> responses) {
    Objects.requireNonNull(responses, "responses");
    List<Double> scores = new ArrayList<>(responses.size());
    for (String r : responses) {
      String text = r.toLowerCase(Locale.ROOT);
      double s = 0;
      for (String k : keywords) {
        if (text.contains(k)) {
          s += 1;
        }
      }
      int words = r.isBlank() ? 0 : r.trim().split("\\s+").length;
      if (words > targetWords) {
        s -= 0.1 * Math.ceil((words - targetWords) / 10.0);
      }
      scores.add(s);
    }
    return ScoredBatch.of(scores);
  }

  @Override
  public String name() {
    return "rubric" + keywords;
  }
}
