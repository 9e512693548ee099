package dev.tpo.textgrad.ops;

import dev.tpo.core.autograd.Operation;
import dev.tpo.core.autograd.TextualGradient;
import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.ConfigurationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sum (aggregate) of several variables, as TextGrad's {@code sum}: the output's value is the
 * inputs' values joined by a blank line. Backward makes no model call: every input that requires a
 * gradient receives each feedback the output received, exactly once and in order (TextGrad adds it
 * twice in {@code sum} and only to the last input in {@code aggregate}). When the sum is itself the
 * loss, it has no feedback to pass: backward then continues into its inputs, and inputs produced by
 * an operation (typically several losses) each treat themselves as a loss.
 *
 * <p>Each call of {@link #of} creates a new operation that belongs to the caller's graph; the
 * static factories are thread-safe.
 */
public final class Sum implements Operation {
  /** The operation name recorded in gradients. */
  public static final String NAME = "sum";

  private final List<Variable> inputs;

  private Sum(List<Variable> inputs) {
    this.inputs = List.copyOf(inputs);
  }

  /**
   * Sums variables, with a role listing theirs.
   *
   * @param inputs at least one variable
   * @return the sum variable
   */
  public static Variable of(Variable... inputs) {
    List<Variable> list = Arrays.asList(inputs);
    List<String> roles = new ArrayList<>();
    for (Variable v : list) {
      roles.add(v.role());
    }
    return of(list, "the combination of: " + String.join("; ", roles));
  }

  /**
   * Sums variables.
   *
   * @param inputs at least one variable
   * @param role the role of the sum
   * @return the sum variable
   * @throws ConfigurationException when no input is given
   */
  public static Variable of(List<Variable> inputs, String role) {
    if (inputs.isEmpty()) {
      throw new ConfigurationException("Sum.of needs at least one variable");
    }
    List<String> values = new ArrayList<>();
    for (Variable v : inputs) {
      values.add(v.value());
    }
    return Variable.builder(String.join("\n\n", values)).role(role)
        .producedBy(new Sum(inputs)).build();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Variable> inputs() {
    return inputs;
  }

  @Override
  public void backward(Variable output) {
    List<TextualGradient> received = output.gradients();
    for (Variable v : GradientTargets.of(inputs)) {
      for (TextualGradient g : received) {
        v.addGradient(new TextualGradient(v.id(), g.feedback(), NAME, output.id(), g.context()));
      }
    }
  }
}
