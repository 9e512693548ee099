package dev.tpo.core.autograd;

import java.util.Objects;

/**
 * The forward call a gradient came from: the system prompt, the input and the output of that call.
 * The optimizer shows it beside the feedback so the model knows what the critique refers to.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param systemPrompt the call's system prompt, possibly empty
 * @param input the call's input as the model saw it, possibly empty
 * @param output the call's output, possibly empty
 */
public record GradientContext(String systemPrompt, String input, String output) {

  /** No context (for gradients given directly, not derived from a call). */
  public static final GradientContext NONE = new GradientContext("", "", "");

  /**
   * Validates that no field is null.
   *
   * @param systemPrompt the call's system prompt, possibly empty
   * @param input the call's input as the model saw it, possibly empty
   * @param output the call's output, possibly empty
   */
  public GradientContext {
    Objects.requireNonNull(systemPrompt, "systemPrompt");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
  }

  /**
   * Whether every field is empty.
   *
   * @return true for {@link #NONE}-like contexts
   */
  public boolean isEmpty() {
    return systemPrompt.isEmpty() && input.isEmpty() && output.isEmpty();
  }
}
