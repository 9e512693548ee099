package dev.tpo.textgrad.loss;

import dev.tpo.core.autograd.Variable;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The result of a {@link ScoredTextLoss}: the loss variable (call {@code backward()} on it) and the
 * numeric score parsed from the evaluation, when the model gave one.
 *
 * <p>Immutable value; thread-safe (the loss variable belongs to the caller's graph).
 *
 * @param loss the loss variable, whose value is the whole evaluation
 * @param score the last {@code <SCORE>} the evaluation contains, empty when none parses
 */
public record ScoredLoss(Variable loss, OptionalDouble score) {

  /**
   * Validates that no field is null.
   *
   * @param loss the loss variable, whose value is the whole evaluation
   * @param score the last {@code <SCORE>} the evaluation contains, empty when none parses
   */
  public ScoredLoss {
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(score, "score");
  }
}
