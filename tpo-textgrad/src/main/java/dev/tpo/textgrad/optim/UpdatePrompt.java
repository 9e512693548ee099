package dev.tpo.textgrad.optim;

import dev.tpo.core.autograd.GradientContext;
import dev.tpo.core.autograd.TextualGradient;
import dev.tpo.core.autograd.Variable;
import dev.tpo.textgrad.TextGradEngine;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders the update and reformat prompts of textual gradient descent from the templates.
 *
 * <p>Stateless; thread-safe.
 */
final class UpdatePrompt {
  private UpdatePrompt() {}

  static String system(TextGradEngine engine, ValueTags tags) {
    return engine.templates().render(PromptTemplates.TGD_SYSTEM, tagValues(tags));
  }

  static String user(TextGradEngine engine, ValueTags tags, Variable parameter,
      List<String> constraints, List<String> examples, List<String> history, int window) {
    PromptTemplates t = engine.templates();
    Map<String, String> values = tagValues(tags);
    values.put("role", parameter.role());
    values.put("value", parameter.value());
    values.put("gradients", gradients(engine, parameter));
    values.put("momentum", momentum(t, history, window));
    values.put("constraints", section(t, PromptTemplates.TGD_CONSTRAINTS, "constraints",
        items(t, PromptTemplates.TGD_CONSTRAINT, "constraint", constraints)));
    values.put("examples", section(t, PromptTemplates.TGD_EXAMPLES, "examples",
        items(t, PromptTemplates.TGD_EXAMPLE, "value", examples)));
    return t.render(PromptTemplates.TGD_UPDATE, values);
  }

  static String reformat(TextGradEngine engine, ValueTags tags, Variable parameter,
      String answer) {
    Map<String, String> values = tagValues(tags);
    values.put("role", parameter.role());
    values.put("answer", answer);
    return engine.templates().render(PromptTemplates.TGD_REFORMAT, values);
  }

  private static Map<String, String> tagValues(ValueTags tags) {
    Map<String, String> values = new java.util.HashMap<>();
    values.put("start_tag", tags.start());
    values.put("end_tag", tags.end());
    return values;
  }

  /**
   * Every gradient with its context; the contexts of all gradients share the engine's budget, and
   * a context field equal to the variable's value is replaced by a reference (the value is shown
   * in full above).
   */
  private static String gradients(TextGradEngine engine, Variable parameter) {
    PromptTemplates t = engine.templates();
    List<TextualGradient> grads = parameter.gradients();
    List<String> fields = new ArrayList<>();
    for (TextualGradient g : grads) {
      GradientContext c = g.context();
      fields.add(c.systemPrompt());
      fields.add(c.input());
      fields.add(c.output());
    }
    String reference = t.render(PromptTemplates.VARIABLE_REFERENCE, Map.of());
    List<String> fitted = engine.contextBudget().fitAround(fields, parameter.value(), reference);
    List<String> blocks = new ArrayList<>();
    for (int i = 0; i < grads.size(); i++) {
      TextualGradient g = grads.get(i);
      String context = "";
      if (!g.context().isEmpty()) {
        context = t.render(PromptTemplates.TGD_GRADIENT_CONTEXT, Map.of(
            "system_prompt", fitted.get(3 * i),
            "input", fitted.get(3 * i + 1),
            "output", fitted.get(3 * i + 2))) + "\n";
      }
      blocks.add(t.render(PromptTemplates.TGD_GRADIENT, Map.of(
          "index", Integer.toString(i + 1), "context", context, "feedback", g.feedback())));
    }
    return String.join("\n\n", blocks);
  }

  private static String momentum(PromptTemplates t, List<String> history, int window) {
    if (window == 0 || history.isEmpty()) {
      return "";
    }
    int from = Math.max(0, history.size() - window);
    List<String> items = new ArrayList<>();
    for (int i = from; i < history.size(); i++) {
      items.add(t.render(PromptTemplates.TGD_PAST_VALUE,
          Map.of("step", Integer.toString(i + 1), "value", history.get(i))));
    }
    return t.render(PromptTemplates.TGD_MOMENTUM, Map.of("past_values", String.join("\n", items)))
        + "\n\n";
  }

  private static List<String> items(PromptTemplates t, String template, String key,
      List<String> texts) {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      items.add(t.render(template, Map.of("index", Integer.toString(i + 1), key, texts.get(i))));
    }
    return items;
  }

  private static String section(PromptTemplates t, String template, String key,
      List<String> items) {
    if (items.isEmpty()) {
      return "";
    }
    return t.render(template, Map.of(key, String.join("\n", items))) + "\n\n";
  }
}
