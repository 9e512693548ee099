package dev.tpo.textgrad.ops;

import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.textgrad.TextGradEngine;
import java.util.List;
import java.util.Objects;

/**
 * An LLM call, as TextGrad's {@code LLMCall}: system prompt + input variable -> response variable.
 * The input's value is the user message. The system prompt is a variable (optimize it by making it
 * a parameter) given here or per call; backward critiques every one of them that requires a
 * gradient (see {@link LlmOperation}).
 *
 * <pre>{@code
 * LlmCall call = LlmCall.builder(engine).systemPrompt(prompt).build();
 * Variable answer = call.forward(question);
 * }</pre>
 *
 * <p>Immutable; thread-safe when its system prompt variable is not changed concurrently. Each
 * {@link #forward} creates a new operation that belongs to the caller's graph.
 */
public final class LlmCall {
  /** The operation name recorded in gradients. */
  public static final String NAME = "llm-call";
  /** Default for {@link Builder#outputRole(String)}. */
  public static final String DEFAULT_OUTPUT_ROLE = "a response from the language model";

  private final CallSetup setup;

  private LlmCall(CallSetup setup) {
    this.setup = setup;
  }

  /**
   * A new builder.
   *
   * @param engine the engine
   * @return the builder
   */
  public static Builder builder(TextGradEngine engine) {
    return new Builder(engine);
  }

  /**
   * Calls the model with the configured system prompt (if any) and the input as the user message.
   *
   * @param input the user message variable
   * @return the response variable
   */
  public Variable forward(Variable input) {
    return forward(setup.systemPrompt(), input);
  }

  /**
   * Calls the model with the given system prompt and the input as the user message.
   *
   * @param systemPrompt the system prompt variable, or null for none
   * @param input the user message variable
   * @return the response variable
   */
  public Variable forward(Variable systemPrompt, Variable input) {
    Objects.requireNonNull(input, "input");
    return setup.send(NAME, systemPrompt, List.of(input), input.value());
  }

  /**
   * Builds an {@link LlmCall}: the system prompt and output role, the model and sampling settings
   * (defaulting to the engine's forward ones). Not thread-safe.
   */
  public static final class Builder extends CallBuilder<Builder> {
    private Builder(TextGradEngine engine) {
      super(engine);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the call
     * @throws ConfigurationException when the output role is blank
     */
    public LlmCall build() {
      return new LlmCall(setup("LlmCall"));
    }
  }
}
