package dev.tpo.textgrad.ops;

import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.textgrad.TextGradEngine;
import dev.tpo.textgrad.prompt.PromptTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A formatted LLM call, as TextGrad's {@code FormattedLLMCall}: the user message is a template
 * whose {@code {{name}}} placeholders are filled from named variables. The variables become the
 * output's predecessors in the order their placeholders first appear (system prompt first), so
 * backward is deterministic whatever map is passed.
 *
 * <pre>{@code
 * FormattedLlmCall call = FormattedLlmCall.builder(engine)
 *     .template("Question: {{question}}\nDraft: {{draft}}\nImprove the draft.")
 *     .build();
 * Variable out = call.forward(Map.of("question", q, "draft", d));
 * }</pre>
 *
 * <p>Immutable; thread-safe when its system prompt variable is not changed concurrently.
 */
public final class FormattedLlmCall {
  /** The operation name recorded in gradients. */
  public static final String NAME = "formatted-llm-call";

  private final PromptTemplate template;
  private final CallSetup setup;

  private FormattedLlmCall(PromptTemplate template, CallSetup setup) {
    this.template = template;
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

  /** @return the user-message template */
  public PromptTemplate template() {
    return template;
  }

  /**
   * Fills the template and calls the model.
   *
   * @param inputs one variable per placeholder, by placeholder name
   * @return the response variable
   * @throws ConfigurationException naming the placeholder when one has no variable, or the name
   *     when a variable has no placeholder
   */
  public Variable forward(Map<String, Variable> inputs) {
    TreeSet<String> extra = new TreeSet<>(inputs.keySet());
    extra.removeAll(template.placeholders());
    if (!extra.isEmpty()) {
      throw new ConfigurationException("FormattedLlmCall inputs " + extra + " have no placeholder"
          + " in the template; its placeholders are " + template.placeholders());
    }
    List<Variable> ordered = new ArrayList<>();
    Map<String, String> values = new HashMap<>();
    for (String name : template.placeholders()) {
      Variable v = inputs.get(name);
      if (v == null) {
        throw new ConfigurationException("FormattedLlmCall template uses {{" + name + "}} but no"
            + " variable was given for it; pass one under the key \"" + name + "\"");
      }
      ordered.add(v);
      values.put(name, v.value());
    }
    return setup.send(NAME, setup.systemPrompt(), ordered, template.render(values));
  }

  /**
   * Builds a {@link FormattedLlmCall}: the template, the system prompt and output role, the model
   * and sampling settings (defaulting to the engine's forward ones). Not thread-safe.
   */
  public static final class Builder extends CallBuilder<Builder> {
    private PromptTemplate template;

    private Builder(TextGradEngine engine) {
      super(engine);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * The user-message template with {@code {{name}}} placeholders. Required.
     *
     * @param text the template text
     * @return this builder
     */
    public Builder template(String text) {
      this.template = PromptTemplate.of("formatted-llm-call", text);
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the call
     * @throws ConfigurationException when the template is missing or has no placeholder, or the
     *     output role is blank
     */
    public FormattedLlmCall build() {
      if (template == null || template.placeholders().isEmpty()) {
        throw new ConfigurationException("FormattedLlmCall.template "
            + (template == null ? "is not set" : "has no {{name}} placeholder: \""
                + template.text() + "\"")
            + "; give a template such as \"Question: {{question}}\"");
      }
      return new FormattedLlmCall(template, setup("FormattedLlmCall"));
    }
  }
}
