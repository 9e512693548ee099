package dev.tpo.core.autograd;

import dev.tpo.core.error.AutogradException;
import java.util.List;

/**
 * Base class for optimizers: validates the parameters at construction and refuses to step while a
 * parameter has no gradient, with a message naming it. Subclasses implement {@link #update()}.
 *
 * <p>Not thread-safe: use one instance per run.
 */
public abstract class AbstractOptimizer implements Optimizer {
  private final List<Variable> parameters;

  /**
   * Creates the optimizer.
   *
   * @param parameters the variables to update, at least one, each requiring a gradient
   * @throws AutogradException when the list is empty or a variable does not require a gradient
   */
  protected AbstractOptimizer(List<Variable> parameters) {
    this.parameters = List.copyOf(parameters);
    if (this.parameters.isEmpty()) {
      throw new AutogradException(
          "an optimizer needs at least one parameter; pass the variables to optimize");
    }
    for (Variable p : this.parameters) {
      if (!p.requiresGrad()) {
        throw new AutogradException(
            "parameter " + p.describe() + " has requiresGrad=false, so it can never receive a"
                + " gradient; create it with requiresGrad(true) to optimize it");
      }
    }
  }

  @Override
  public final List<Variable> parameters() {
    return parameters;
  }

  @Override
  public void zeroGrad() {
    parameters.forEach(Variable::clearGradients);
  }

  @Override
  public final void step() {
    for (Variable p : parameters) {
      if (p.gradients().isEmpty()) {
        throw new AutogradException(
            "cannot step: parameter " + p.describe() + " has no gradient. Call backward() on a"
                + " loss computed from it before step(), and check that zeroGrad() was not called"
                + " in between");
      }
    }
    update();
  }

  /** Updates the parameters; every parameter has at least one gradient when this runs. */
  protected abstract void update();
}
