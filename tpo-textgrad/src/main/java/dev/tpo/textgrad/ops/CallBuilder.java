package dev.tpo.textgrad.ops;

import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.textgrad.LlmComponentBuilder;
import dev.tpo.textgrad.TextGradEngine;

/**
 * What the builders of {@link LlmCall} and {@link FormattedLlmCall} share beyond the model and
 * sampling settings: the system prompt and the role of the output variable. Not thread-safe.
 *
 * @param <B> the concrete builder
 */
abstract class CallBuilder<B extends CallBuilder<B>> extends LlmComponentBuilder<B> {
  private Variable systemPrompt;
  private String outputRole = LlmCall.DEFAULT_OUTPUT_ROLE;

  CallBuilder(TextGradEngine engine) {
    super(engine, true);
  }

  /**
   * The system prompt. Defaults to none.
   *
   * @param systemPrompt the variable (a parameter to optimize it), or null for none
   * @return this builder
   */
  public B systemPrompt(Variable systemPrompt) {
    this.systemPrompt = systemPrompt;
    return self();
  }

  /**
   * A fixed system prompt, as a variable that requires no gradient.
   *
   * @param text the system prompt
   * @return this builder
   */
  public B systemPrompt(String text) {
    this.systemPrompt = Variable.constant(text, "the system prompt of the language model");
    return self();
  }

  /**
   * The role of the output variable. Defaults to {@value LlmCall#DEFAULT_OUTPUT_ROLE}.
   *
   * @param role the role
   * @return this builder
   */
  public B outputRole(String role) {
    this.outputRole = role;
    return self();
  }

  /**
   * Checks the output role and resolves the defaults.
   *
   * @param component the component's name for the message, e.g. {@code "LlmCall"}
   * @return what the call is built with
   * @throws ConfigurationException when the output role is blank
   */
  CallSetup setup(String component) {
    if (outputRole == null || outputRole.isBlank()) {
      throw new ConfigurationException(component + ".outputRole is blank: describe what the"
          + " response is, e.g. \"an answer to the question\"");
    }
    return new CallSetup(engine(), systemPrompt, outputRole, effectiveModel(),
        effectiveSampling());
  }
}
