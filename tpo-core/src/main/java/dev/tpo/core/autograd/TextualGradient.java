package dev.tpo.core.autograd;

import java.util.Objects;

/**
 * Feedback on one variable: the critique text, the variable it is for, the operation that produced
 * it (by name and by the id of that operation's output variable, which identifies the forward call)
 * and the context of that call.
 *
 * <p>Two gradients are equal when all fields are equal; a {@link Variable} keeps equal gradients
 * once, so an operation that reports the same feedback twice cannot duplicate it.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param variableId id of the variable the feedback is for
 * @param feedback the critique, never null
 * @param operation the name of the operation it came from, for example {@code "llm-call"}
 * @param outputId id of that operation's output variable (the successor the feedback came through)
 * @param context the forward call's context
 */
public record TextualGradient(
    String variableId, String feedback, String operation, String outputId, GradientContext context) {

  /**
   * Validates that no field is null.
   *
   * @param variableId id of the variable the feedback is for
   * @param feedback the critique, never null
   * @param operation the name of the operation it came from, for example {@code "llm-call"}
   * @param outputId id of that operation's output variable (the successor the feedback came
   *     through)
   * @param context the forward call's context
   */
  public TextualGradient {
    Objects.requireNonNull(variableId, "variableId");
    Objects.requireNonNull(feedback, "feedback");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(outputId, "outputId");
    Objects.requireNonNull(context, "context");
  }

  /**
   * Feedback given directly to a variable (not derived through an operation), for example a human
   * critique or a loss that is itself the feedback.
   *
   * @param variable the variable
   * @param feedback the critique
   * @return the gradient, with {@link GradientContext#NONE}
   */
  public static TextualGradient direct(Variable variable, String feedback) {
    return new TextualGradient(variable.id(), feedback, "direct", variable.id(), GradientContext.NONE);
  }
}
