package dev.tpo.textgrad.ops;

import dev.tpo.core.autograd.GradientContext;
import dev.tpo.core.autograd.TextualGradient;
import dev.tpo.core.autograd.Variable;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.event.Phase;
import dev.tpo.textgrad.ModelRequests;
import dev.tpo.textgrad.TextGradEngine;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The shared backward step of the LLM-backed operations: one backward-model request per variable,
 * asking for critique (never a rewrite) given the step's conversation and either the objective
 * (the output is the loss: it has no gradients) or the feedback the output received.
 *
 * <p>Stateless; thread-safe.
 */
final class BackwardRequests {

  private BackwardRequests() {}

  /**
   * Prepares context fields for a prompt about {@code variable}: a field equal to the variable's
   * value is replaced by a short reference (the variable is shown in full elsewhere), and the rest
   * are fitted into the engine's context budget.
   *
   * @param engine the engine
   * @param variable the variable the prompt is about
   * @param fields the context fields, in order
   * @return the fields in the same order
   */
  static List<String> fitContext(TextGradEngine engine, Variable variable, List<String> fields) {
    String reference = engine.templates().render(PromptTemplates.VARIABLE_REFERENCE, Map.of());
    return engine.contextBudget().fitAround(fields, variable.value(), reference);
  }

  /**
   * The backward request asking for critique of one variable.
   *
   * @param engine the engine
   * @param variable the variable to critique (requires a gradient)
   * @param output the operation's output, with the gradients it received
   * @param conversation the rendered conversation of the step
   * @return the request
   */
  static ChatRequest request(TextGradEngine engine, Variable variable, Variable output,
      String conversation) {
    PromptTemplates t = engine.templates();
    List<TextualGradient> received = output.gradients();
    String objective;
    if (received.isEmpty()) {
      objective = t.render(PromptTemplates.OBJECTIVE_LOSS,
          Map.of("output_role", output.role(), "role", variable.role()));
    } else {
      List<String> feedback = new ArrayList<>();
      for (TextualGradient g : received) {
        feedback.add(g.feedback());
      }
      objective = t.render(PromptTemplates.OBJECTIVE_CHAIN, Map.of(
          "output_role", output.role(), "role", variable.role(),
          "feedback", String.join("\n\n", feedback)));
    }
    String user = t.render(PromptTemplates.BACKWARD_USER, Map.of(
        "conversation", conversation, "role", variable.role(), "value", variable.value(),
        "objective", objective));
    return engine.backwardSampling().applyTo(engine.tagRequest(ChatRequest.builder()
            .system(t.render(PromptTemplates.BACKWARD_SYSTEM, Map.of()))
            .user(user)
            .n(1), Phase.GRADIENT))
        .build();
  }

  /**
   * The whole backward step of an LLM-backed operation: for each input that requires a gradient
   * ({@link GradientTargets}), a request built around the conversation the operation renders for
   * it; then {@link #critique}.
   *
   * @param engine the engine
   * @param operation the operation's name
   * @param inputs the operation's inputs, in forward order
   * @param output the operation's output
   * @param context the full context stored with each gradient
   * @param conversation renders the step's conversation for a prompt about one input
   */
  static void backward(TextGradEngine engine, String operation,
      List<Variable> inputs, Variable output, GradientContext context,
      Function<Variable, String> conversation) {
    List<Variable> targets = GradientTargets.of(inputs);
    List<ChatRequest> requests = new ArrayList<>();
    for (Variable v : targets) {
      requests.add(request(engine, v, output, conversation.apply(v)));
    }
    critique(engine, operation, targets, requests, output, context);
  }

  /**
   * Sends the backward requests of one operation at once and adds each critique, in the order of
   * the variables, as a gradient.
   *
   * @param engine the engine
   * @param operation the operation's name
   * @param variables the variables to critique, in forward order
   * @param requests their requests, from {@link #request}
   * @param output the operation's output
   * @param context the full context stored with each gradient
   */
  static void critique(TextGradEngine engine, String operation,
      List<Variable> variables, List<ChatRequest> requests, Variable output,
      GradientContext context) {
    if (variables.isEmpty()) {
      return;
    }
    List<ChatResponse> responses = ModelRequests.sendAll(engine.backwardModel(), requests);
    for (int i = 0; i < variables.size(); i++) {
      Variable v = variables.get(i);
      v.addGradient(new TextualGradient(
          v.id(), responses.get(i).text().strip(), operation, output.id(), context));
    }
  }
}
