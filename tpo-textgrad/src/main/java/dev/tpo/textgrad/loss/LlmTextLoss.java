package dev.tpo.textgrad.loss;

import dev.tpo.core.autograd.TextLoss;
import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.textgrad.LlmComponentBuilder;
import dev.tpo.textgrad.Sampling;
import dev.tpo.textgrad.TextGradEngine;
import dev.tpo.textgrad.ops.LlmOperation;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An LLM-backed {@link TextLoss}, as TextGrad's {@code TextLoss} and {@code MultiFieldEvaluation}:
 * one LLM call whose system prompt is the evaluation instruction and whose user message is the
 * evaluated variable's value (several variables: one field per variable, labelled by its role).
 * The answer is the loss variable, produced by an {@link LlmOperation}, so {@code loss.backward()}
 * sends one backward request per evaluated variable that requires a gradient and gives it the
 * critique as a textual gradient. The instruction itself is a constant: it gets no gradient.
 *
 * <pre>{@code
 * TextLoss loss = LlmTextLoss.builder(engine)
 *     .instruction("Evaluate the answer to this question: ... Be concise; do not answer it.")
 *     .build();
 * Variable l = loss.evaluate(answer);
 * l.backward();   // answer.gradients() now holds the critique
 * }</pre>
 *
 * <p>Immutable; thread-safe: share one instance between runs, or derive one per run with
 * {@link #withInstruction(String)}.
 */
public final class LlmTextLoss implements TextLoss {
  /** The operation name recorded in gradients. */
  public static final String NAME = "text-loss";
  /** Default for {@link Builder#instructionRole(String)}. */
  public static final String DEFAULT_INSTRUCTION_ROLE = "the evaluation instruction";
  /** Default for {@link Builder#outputRole(String)}. */
  public static final String DEFAULT_OUTPUT_ROLE = "the evaluation of the text (the loss)";

  private final TextGradEngine engine;
  private final String instruction;
  private final String instructionRole;
  private final String outputRole;
  private final LanguageModel model;
  private final Sampling sampling;

  private LlmTextLoss(Builder b) {
    this.engine = b.engine();
    this.instruction = b.instruction;
    this.instructionRole = b.instructionRole;
    this.outputRole = b.outputRole;
    this.model = b.effectiveModel();
    this.sampling = b.effectiveSampling();
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
   * A builder initialised with this loss's settings.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(engine);
    b.instruction = instruction;
    b.instructionRole = instructionRole;
    b.outputRole = outputRole;
    return b.model(model).sampling(sampling);
  }

  /**
   * The same loss with another instruction (for example one per TPO round).
   *
   * @param instruction the new evaluation instruction
   * @return a new loss
   */
  public LlmTextLoss withInstruction(String instruction) {
    return toBuilder().instruction(instruction).build();
  }

  /** @return the evaluation instruction (the system prompt) */
  public String instruction() {
    return instruction;
  }

  /** @return the model that evaluates */
  public LanguageModel model() {
    return model;
  }

  /** @return the sampling settings of the evaluation request */
  public Sampling sampling() {
    return sampling;
  }

  /**
   * Evaluates the variables with one LLM call.
   *
   * @param variables the variables under evaluation, at least one
   * @return the loss variable
   * @throws ConfigurationException when no variable is given
   */
  @Override
  public Variable evaluate(List<Variable> variables) {
    return evaluateWithSystemPrompt(instruction, variables);
  }

  Variable evaluateWithSystemPrompt(String systemPrompt, List<Variable> variables) {
    if (variables.isEmpty()) {
      throw new ConfigurationException("LlmTextLoss.evaluate needs at least one variable");
    }
    String userMessage;
    if (variables.size() == 1) {
      userMessage = variables.get(0).value();
    } else {
      List<String> fields = new ArrayList<>();
      for (Variable v : variables) {
        fields.add(engine.templates().render(PromptTemplates.FIELD,
            Map.of("role", v.role(), "value", v.value())));
      }
      userMessage = String.join("\n", fields);
    }
    Variable system = Variable.constant(systemPrompt, instructionRole);
    return LlmOperation.forward(engine, NAME, model, sampling, system, variables, userMessage,
        outputRole);
  }

  TextGradEngine engine() {
    return engine;
  }

  /**
   * Builds an {@link LlmTextLoss}: the instruction and roles, the model and sampling settings
   * (defaulting to the engine's backward ones). Not thread-safe.
   */
  public static final class Builder extends LlmComponentBuilder<Builder> {
    private String instruction;
    private String instructionRole = DEFAULT_INSTRUCTION_ROLE;
    private String outputRole = DEFAULT_OUTPUT_ROLE;

    private Builder(TextGradEngine engine) {
      super(engine, false);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * The evaluation instruction, sent as the system prompt. Required.
     *
     * @param instruction the instruction
     * @return this builder
     */
    public Builder instruction(String instruction) {
      this.instruction = instruction;
      return this;
    }

    /**
     * The role of the instruction variable. Defaults to
     * {@value LlmTextLoss#DEFAULT_INSTRUCTION_ROLE}.
     *
     * @param role the role
     * @return this builder
     */
    public Builder instructionRole(String role) {
      this.instructionRole = role;
      return this;
    }

    /**
     * The role of the loss variable, shown in backward requests. Defaults to
     * {@value LlmTextLoss#DEFAULT_OUTPUT_ROLE}.
     *
     * @param role the role
     * @return this builder
     */
    public Builder outputRole(String role) {
      this.outputRole = role;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the loss
     * @throws ConfigurationException naming the field when the instruction or a role is blank
     */
    public LlmTextLoss build() {
      if (instruction == null || instruction.isBlank()) {
        throw new ConfigurationException("LlmTextLoss.instruction is blank: give the evaluation"
            + " instruction the model follows, e.g. \"Evaluate the answer for correctness\"");
      }
      if (instructionRole == null || instructionRole.isBlank()) {
        throw new ConfigurationException("LlmTextLoss.instructionRole is blank");
      }
      if (outputRole == null || outputRole.isBlank()) {
        throw new ConfigurationException("LlmTextLoss.outputRole is blank");
      }
      return new LlmTextLoss(this);
    }
  }
}
