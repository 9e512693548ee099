package dev.tpo.core.autograd;

import java.util.List;

/**
 * Updates parameters from the gradients they received, mirroring TextGrad's optimizer:
 * {@code loss.backward(); optimizer.step(); optimizer.zeroGrad();}.
 *
 * <p>{@link AbstractOptimizer} implements the shared rules (only parameters that require a
 * gradient; no step on a parameter without gradients). Optimizers are stateful and not thread-safe:
 * use one per run.
 */
public interface Optimizer {

  /**
   * The variables this optimizer updates.
   *
   * @return an immutable list
   */
  List<Variable> parameters();

  /** Clears the gradients of every parameter. */
  void zeroGrad();

  /**
   * Updates every parameter from its gradients.
   *
   * @throws dev.tpo.core.error.AutogradException when a parameter has no gradient
   */
  void step();
}
