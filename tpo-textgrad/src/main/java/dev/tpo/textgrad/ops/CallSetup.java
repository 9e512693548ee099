package dev.tpo.textgrad.ops;

import dev.tpo.core.autograd.Variable;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.textgrad.Sampling;
import dev.tpo.textgrad.TextGradEngine;
import java.util.List;

/**
 * What an {@link LlmCall} or a {@link FormattedLlmCall} was built with, defaults resolved, and how
 * it sends one forward call with it.
 *
 * <p>Immutable; thread-safe when its system prompt variable is not changed concurrently.
 *
 * @param engine the engine
 * @param systemPrompt the default system prompt, or null for none
 * @param outputRole the role of the output variable
 * @param model the model that answers
 * @param sampling the sampling settings of the call
 */
record CallSetup(TextGradEngine engine, Variable systemPrompt, String outputRole,
    LanguageModel model, Sampling sampling) {

  /**
   * Runs one forward call; see {@link LlmOperation#forward}.
   *
   * @param name the operation's name
   * @param systemPrompt the system prompt of this call, or null for none
   * @param inputs the variables the user message is built from
   * @param userMessage the user message as sent
   * @return the output variable
   */
  Variable send(String name, Variable systemPrompt, List<Variable> inputs, String userMessage) {
    return LlmOperation.forward(engine, name, model, sampling, systemPrompt, inputs, userMessage,
        outputRole);
  }
}
