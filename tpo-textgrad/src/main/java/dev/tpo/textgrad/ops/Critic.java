package dev.tpo.textgrad.ops;

import dev.tpo.core.autograd.GradientContext;
import dev.tpo.core.autograd.TextualGradient;
import dev.tpo.core.autograd.Variable;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.textgrad.CallLog;
import dev.tpo.textgrad.TextGradEngine;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shared backward step of the LLM-backed operations: one backward-model request per variable,
 * asking for critique (never a rewrite) given the step's conversation and either the objective
 * (the output is the loss: it has no gradients) or the feedback the output received.
 *
 * <p>Stateless; thread-safe.
 */
final class Critic {
  /** The purpose recorded for backward calls. */
  static final String PURPOSE = "backward";

  private Critic() {}

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
   * Asks the backward model for critique of one variable and adds it as a gradient.
   *
   * @param engine the engine
   * @param log where the call is recorded
   * @param operation the operation's name
   * @param variable the variable to critique (requires a gradient)
   * @param output the operation's output
   * @param conversation the rendered conversation of the step
   * @param context the full context stored with the gradient
   */
  static void critique(TextGradEngine engine, CallLog log, String operation, Variable variable,
      Variable output, String conversation, GradientContext context) {
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
    ChatRequest request = engine.backwardSampling().applyTo(ChatRequest.builder()
            .system(t.render(PromptTemplates.BACKWARD_SYSTEM, Map.of()))
            .user(user)
            .n(1))
        .build();
    ChatResponse response = log.send(PURPOSE, engine.backwardModel(), request);
    variable.addGradient(new TextualGradient(
        variable.id(), response.text().strip(), operation, output.id(), context));
  }
}
