package dev.tpo.core.reward;

import dev.tpo.core.model.TokenUsage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The scores of one batch together with the language-model tokens spent to get them: an LLM judge
 * reports its requests' usage here, so a TPO run counts them in its usage and token budget; a
 * reward model reports {@link TokenUsage#ZERO}.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param scores one raw score per response, in input order
 * @param usage the language-model usage of the scoring, {@link TokenUsage#ZERO} when none
 */
public record ScoredBatch(List<Double> scores, TokenUsage usage) {

  /**
   * Validates and copies the fields.
   *
   * @param scores one raw score per response, in input order (copied; null scores are left to
   *     the contract check)
   * @param usage the language-model usage of the scoring
   */
  public ScoredBatch {
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(usage, "usage");
    scores = Collections.unmodifiableList(new ArrayList<>(scores));
  }

  /**
   * Scores that cost no language-model tokens.
   *
   * @param scores the scores
   * @return a batch with {@link TokenUsage#ZERO}
   */
  public static ScoredBatch of(List<Double> scores) {
    return new ScoredBatch(scores, TokenUsage.ZERO);
  }
}
