package dev.tpo.core.reward;

import dev.tpo.core.model.TokenUsage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The scores of one batch together with the language-model tokens spent to get them: an LLM judge
 * reports its requests' usage here, so a TPO run counts them in its usage and token budget; a
 * reward model reports {@link TokenUsage#ZERO}. A scorer that degraded without failing (an LLM
 * judge that found no rating in a reply and gave the lowest score) says so in {@link #warnings()};
 * a TPO run adds them to its result's warnings.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param scores one raw score per response, in input order
 * @param usage the language-model usage of the scoring, {@link TokenUsage#ZERO} when none
 * @param warnings what degraded while scoring, in order; empty when nothing did
 */
public record ScoredBatch(List<Double> scores, TokenUsage usage, List<String> warnings) {

  /**
   * Validates and copies the fields.
   *
   * @param scores one raw score per response, in input order (copied; null scores are left to
   *     the contract check)
   * @param usage the language-model usage of the scoring
   * @param warnings what degraded while scoring (copied)
   */
  public ScoredBatch {
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(usage, "usage");
    scores = Collections.unmodifiableList(new ArrayList<>(scores));
    warnings = List.copyOf(Objects.requireNonNull(warnings, "warnings"));
  }

  /**
   * Scores and their usage, with no warnings.
   *
   * @param scores one raw score per response, in input order
   * @param usage the language-model usage of the scoring
   */
  public ScoredBatch(List<Double> scores, TokenUsage usage) {
    this(scores, usage, List.of());
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
