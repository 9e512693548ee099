package dev.tpo.textgrad.ops;

import dev.tpo.core.autograd.GradientContext;
import dev.tpo.core.autograd.Operation;
import dev.tpo.core.autograd.Variable;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.textgrad.Sampling;
import dev.tpo.textgrad.TextGradEngine;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One LLM call in the graph: a system prompt (a variable, possibly optimized, or none) and a user
 * message built from one or more input variables, answered by a model; the answer is the output
 * variable. Its backward sends one request to the engine's backward model per input that requires
 * a gradient (each input once; the requests go out together, and the gradients are added in
 * forward order, system prompt first, whatever order the answers arrive in), asking for critique
 * given the conversation and either the objective (when the output is the loss, i.e. has no
 * gradients) or the feedback the output received. It never asks for a rewrite.
 *
 * <p>{@link LlmCall}, {@link FormattedLlmCall} and the LLM-backed losses build on
 * {@link #forward}; use it directly for a custom LLM-backed operation. Its requests carry the
 * engine's tag ({@link TextGradEngine#tagRequest}).
 *
 * <p>An operation belongs to one graph (one run). Not thread-safe.
 */
public final class LlmOperation implements Operation {
  private final String name;
  private final TextGradEngine engine;
  private final List<Variable> inputs;
  private final String systemText;
  private final String userMessage;
  private volatile String outputText = "";

  private LlmOperation(String name, TextGradEngine engine, Variable systemPrompt,
      List<Variable> userInputs, String userMessage) {
    this.name = name;
    this.engine = engine;
    List<Variable> all = new ArrayList<>();
    if (systemPrompt != null) {
      all.add(systemPrompt);
    }
    all.addAll(userInputs);
    this.inputs = List.copyOf(all);
    this.systemText = systemPrompt == null ? "" : systemPrompt.value();
    this.userMessage = userMessage;
  }

  /**
   * Runs one LLM call and returns its output, produced by a new {@code LlmOperation}.
   *
   * @param engine the engine (templates, backward model, budget)
   * @param name the operation's name recorded in gradients, e.g. {@code "llm-call"}
   * @param model the model that answers the forward request
   * @param sampling the forward request's sampling settings
   * @param systemPrompt the system prompt variable, or null for no system message
   * @param userInputs the variables the user message is built from, at least one
   * @param userMessage the user message as sent
   * @param outputRole the role of the output variable
   * @return the output variable (requires a gradient when any input does)
   * @throws dev.tpo.core.error.TpoException when the model fails
   */
  public static Variable forward(TextGradEngine engine, String name, LanguageModel model,
      Sampling sampling, Variable systemPrompt, List<Variable> userInputs, String userMessage,
      String outputRole) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(sampling, "sampling");
    Objects.requireNonNull(userMessage, "userMessage");
    Objects.requireNonNull(outputRole, "outputRole");
    LlmOperation op = new LlmOperation(name, engine, systemPrompt, userInputs, userMessage);
    ChatRequest.Builder request = ChatRequest.builder();
    if (!op.systemText.isEmpty()) {
      request.system(op.systemText);
    }
    request.user(userMessage).n(1);
    ChatResponse response = model.chat(
        sampling.applyTo(engine.tagRequest(request, null)).build());
    op.outputText = response.text();
    return Variable.builder(op.outputText).role(outputRole).producedBy(op).build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Variable> inputs() {
    return inputs;
  }

  /** @return the system prompt as sent, empty when none */
  public String systemPrompt() {
    return systemText;
  }

  /** @return the user message as sent */
  public String userMessage() {
    return userMessage;
  }

  /** @return the model's answer as received */
  public String outputText() {
    return outputText;
  }

  @Override
  public void backward(Variable output) {
    GradientContext context = new GradientContext(systemText, userMessage, outputText);
    BackwardRequests.backward(engine, name, inputs, output, context, v -> {
      List<String> fields = BackwardRequests.fitContext(
          engine, v, List.of(systemText, userMessage, outputText));
      return engine.templates().render(PromptTemplates.CONVERSATION_LLM_CALL,
          Map.of("system_prompt", fields.get(0), "input", fields.get(1), "output", fields.get(2)));
    });
  }

  @Override
  public String toString() {
    return "LlmOperation{" + name + ", inputs=" + inputs.size() + "}";
  }
}
