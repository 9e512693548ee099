package dev.tpo;

import dev.tpo.core.model.ChatMessage;
import dev.tpo.textgrad.optim.ValueTags;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The loss, gradient and update messages of one round in the {@link PromptLayout#PREFIX_SHARED}
 * layout. Each is {@code [system: shared-system, user: block + "\n\n" + task]}: the system prompt
 * never varies, the block (query, rejected, chosen) is the round's, and the tasks nest, so the
 * gradient request extends the loss request and the update request shares the gradient request's
 * text up to the evaluation. One user message, not several, so chat templates that require
 * alternating roles accept it.
 *
 * <p>Immutable; thread-safe.
 */
final class SharedPrompts {
  private static final String SEPARATOR = "\n\n";

  private final PromptTemplates prompts;
  private final TpoMode mode;
  private final ValueTags tags;
  private final String system;
  private final String block;
  private final String lossTask;

  /**
   * @param prompts the registry
   * @param mode the run's mode: its role and constraints, and whether the block has a rejected
   *     answer
   * @param tags the update's value tags
   * @param query the user's query
   * @param rejected the rejected answer, cut to the prompt budget; null when the mode uses none
   * @param chosen the chosen answer, cut to the prompt budget
   */
  SharedPrompts(PromptTemplates prompts, TpoMode mode, ValueTags tags, String query,
      String rejected, String chosen) {
    this.prompts = prompts;
    this.mode = mode;
    this.tags = tags;
    this.system = prompts.render(PromptTemplates.SHARED_SYSTEM, Map.of());
    if (mode.usesRejected()) {
      this.block = prompts.render(PromptTemplates.SHARED_BLOCK,
          Map.of("query", query, "rejected", rejected, "chosen", chosen));
      this.lossTask = prompts.render(PromptTemplates.SHARED_LOSS, Map.of());
    } else {
      this.block = prompts.render(PromptTemplates.SHARED_REVISION_BLOCK,
          Map.of("query", query, "chosen", chosen));
      this.lossTask = prompts.render(PromptTemplates.SHARED_REVISION_LOSS, Map.of());
    }
  }

  /** The system prompt and the shared block, the text every request of the round starts with. */
  String prefix() {
    return system + SEPARATOR + block;
  }

  /** The loss (evaluation) request: the block, then the evaluation task. */
  List<ChatMessage> loss() {
    return messages(lossTask);
  }

  /** The gradient (feedback) request: the loss request's text, the evaluation, the task. */
  List<ChatMessage> gradient(String evaluation) {
    return messages(lossTask + SEPARATOR + prompts.render(PromptTemplates.SHARED_GRADIENT,
        Map.of("evaluation", evaluation, "role", mode.responseRole())));
  }

  /** The update request: up to the evaluation as the gradient's, then the feedback and task. */
  List<ChatMessage> update(String evaluation, String feedback) {
    Map<String, String> values = new HashMap<>();
    values.put("evaluation", evaluation);
    values.put("feedback", feedback);
    values.put("role", mode.responseRole());
    values.put("constraints", constraints());
    values.put("start_tag", tags.start());
    values.put("end_tag", tags.end());
    return messages(lossTask + SEPARATOR + prompts.render(PromptTemplates.SHARED_UPDATE, values));
  }

  private List<ChatMessage> messages(String task) {
    return List.of(ChatMessage.system(system), ChatMessage.user(block + SEPARATOR + task));
  }

  /** The mode's constraints as the reference's update prompt shows them, or the empty string. */
  private String constraints() {
    List<String> items = new ArrayList<>();
    List<String> list = mode.constraints();
    for (int i = 0; i < list.size(); i++) {
      items.add(prompts.render(PromptTemplates.TGD_CONSTRAINT,
          Map.of("index", Integer.toString(i + 1), "constraint", list.get(i))));
    }
    if (items.isEmpty()) {
      return "";
    }
    return prompts.render(PromptTemplates.TGD_CONSTRAINTS,
        Map.of("constraints", String.join("\n", items))) + SEPARATOR;
  }
}
