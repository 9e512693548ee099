package dev.tpo.examples.customloss;

import dev.tpo.core.autograd.TextLoss;
import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.textgrad.TextGradEngine;
import dev.tpo.textgrad.loss.LlmTextLoss;
import java.util.List;
import java.util.Objects;

/**
 * A custom {@link TextLoss}: grades an answer against a rubric (a question and a list of criteria)
 * with one LLM call and returns the critique as the loss. The loss is produced by the engine's LLM
 * operation, so {@code loss.backward()} reaches the answer and textual gradient descent can rewrite
 * it.
 *
 * <p>Immutable; thread-safe.
 */
public final class RubricLoss implements TextLoss {
  private final LlmTextLoss delegate;
  private final List<String> criteria;

  /**
   * Creates the loss.
   *
   * @param engine the TextGrad engine whose backward model grades
   * @param question the question the answer responds to
   * @param criteria what a good answer does, one criterion per entry, at least one
   * @throws ConfigurationException when no criterion is given
   */
  public RubricLoss(TextGradEngine engine, String question, List<String> criteria) {
    Objects.requireNonNull(question, "question");
    this.criteria = List.copyOf(criteria);
    if (this.criteria.isEmpty()) {
      throw new ConfigurationException("RubricLoss needs at least one criterion");
    }
    this.delegate = LlmTextLoss.builder(engine).instruction(instruction(question, this.criteria))
        .build();
  }

  /**
   * The evaluation instruction sent as the system prompt.
   *
   * @param question the question
   * @param criteria the criteria
   * @return the instruction
   */
  static String instruction(String question, List<String> criteria) {
    StringBuilder sb = new StringBuilder();
    sb.append("You grade an answer to this question:\n").append(question).append("\n\n")
        .append("Check the answer against each criterion below. For each one, say in one line")
        .append(" whether it is met and, if not, what exactly is missing. Do not write a new")
        .append(" answer.\n");
    for (int i = 0; i < criteria.size(); i++) {
      sb.append(i + 1).append(". ").append(criteria.get(i)).append('\n');
    }
    return sb.toString();
  }

  /** @return the criteria, in order */
  public List<String> criteria() {
    return criteria;
  }

  @Override
  public Variable evaluate(List<Variable> variables) {
    return delegate.evaluate(variables);
  }
}
