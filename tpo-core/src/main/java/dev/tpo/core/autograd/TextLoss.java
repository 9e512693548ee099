package dev.tpo.core.autograd;

import java.util.List;

/**
 * An evaluation that turns the variable(s) under evaluation into a loss {@link Variable}: usually
 * an LLM call whose output is a critique, produced by an {@link Operation} so that
 * {@code loss.backward()} reaches the evaluated variables. Custom losses implement this interface.
 *
 * <p>Implementations should be thread-safe when shared between runs.
 */
@FunctionalInterface
public interface TextLoss {

  /**
   * Evaluates the variables.
   *
   * @param variables the variables under evaluation, in the order the loss expects
   * @return the loss variable
   */
  Variable evaluate(List<Variable> variables);

  /**
   * Evaluates one variable.
   *
   * @param variable the variable under evaluation
   * @return the loss variable
   */
  default Variable evaluate(Variable variable) {
    return evaluate(List.of(variable));
  }
}
