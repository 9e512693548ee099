package dev.tpo.textgrad.optim;

import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.textgrad.LlmComponentBuilder;
import dev.tpo.textgrad.Sampling;
import dev.tpo.textgrad.TextGradEngine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Textual gradient descent (TGD), as TextGrad's optimizer: the settings of the update step. For
 * each parameter, one request shows the parameter's role, its FULL value, every gradient with the
 * context of the call it came from (contexts kept within the engine's token budget, the value
 * never shortened), the constraints, the in-context examples and a window of past values
 * (momentum), and asks for the new value between {@link #tags()}.
 *
 * <p>This object is immutable configuration: create one and share it between runs. Each run gets
 * its own stateful {@link TgdOptimizer} from {@link #optimizer(Variable...)}.
 *
 * <pre>{@code
 * TextualGradientDescent tgd = TextualGradientDescent.builder(engine)
 *     .constraints(List.of("Keep it under 100 words"))
 *     .momentumWindow(2)
 *     .build();
 * TgdOptimizer optimizer = tgd.optimizer(answer);
 * loss.backward();
 * optimizer.step();          // or: Proposal p = optimizer.propose(5); optimizer.accept(best);
 * }</pre>
 *
 * <p>Immutable; thread-safe.
 */
public final class TextualGradientDescent {
  private final TextGradEngine engine;
  private final LanguageModel model;
  private final Sampling sampling;
  private final ValueTags tags;
  private final List<String> constraints;
  private final List<String> examples;
  private final int momentumWindow;
  private final UpdateMessages updateMessages;

  private TextualGradientDescent(Builder b) {
    this.engine = b.engine();
    this.model = b.effectiveModel();
    this.sampling = b.effectiveSampling();
    this.tags = b.tags;
    this.constraints = List.copyOf(b.constraints);
    this.examples = List.copyOf(b.examples);
    this.momentumWindow = b.momentumWindow;
    this.updateMessages = b.updateMessages;
  }

  /**
   * A new builder.
   *
   * @param engine the engine (templates, context budget, default model and sampling)
   * @return the builder
   */
  public static Builder builder(TextGradEngine engine) {
    return new Builder(engine);
  }

  /**
   * A builder initialised with these settings.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(engine).model(model).sampling(sampling);
    b.tags = tags;
    b.constraints.addAll(constraints);
    b.examples.addAll(examples);
    b.momentumWindow = momentumWindow;
    b.updateMessages = updateMessages;
    return b;
  }

  /**
   * A new optimizer for one run.
   *
   * @param parameters the variables to update, each requiring a gradient
   * @return the optimizer
   */
  public TgdOptimizer optimizer(Variable... parameters) {
    return optimizer(Arrays.asList(parameters));
  }

  /**
   * A new optimizer for one run.
   *
   * @param parameters the variables to update, each requiring a gradient
   * @return the optimizer
   */
  public TgdOptimizer optimizer(List<Variable> parameters) {
    return new TgdOptimizer(this, parameters);
  }

  /**
   * The update request's messages for a parameter, as {@link TgdOptimizer#propose(int)} sends them:
   * the {@code tgd-system} and {@code tgd-update} templates, or what {@link
   * Builder#updateMessages(UpdateMessages)} renders when set.
   *
   * @param parameter the parameter, with its gradients
   * @param history its past values, oldest first (the last {@link #momentumWindow()} are shown)
   * @return the system and user messages
   */
  public List<ChatMessage> updateMessages(Variable parameter, List<String> history) {
    if (updateMessages != null) {
      List<ChatMessage> custom = List.copyOf(updateMessages.messages(parameter, history));
      if (custom.isEmpty()) {
        throw new ConfigurationException("TextualGradientDescent.updateMessages rendered no"
            + " message for " + parameter.describe());
      }
      return custom;
    }
    return List.of(
        ChatMessage.system(UpdatePrompt.system(engine, tags)),
        ChatMessage.user(UpdatePrompt.user(engine, tags, parameter, constraints, examples, history,
            momentumWindow)));
  }

  /** @return the engine */
  public TextGradEngine engine() {
    return engine;
  }

  /** @return the model that writes the new values */
  public LanguageModel model() {
    return model;
  }

  /** @return the sampling settings of update and reformat requests */
  public Sampling sampling() {
    return sampling;
  }

  /** @return the tags around the new value */
  public ValueTags tags() {
    return tags;
  }

  /** @return the constraints shown in every update request */
  public List<String> constraints() {
    return constraints;
  }

  /** @return the in-context examples shown in every update request */
  public List<String> examples() {
    return examples;
  }

  /** @return how many past values each update request shows */
  public int momentumWindow() {
    return momentumWindow;
  }

  /**
   * Builds a {@link TextualGradientDescent}: tags, constraints, examples and momentum, the model
   * and sampling settings of update requests (defaulting to the engine's backward ones). Not
   * thread-safe.
   */
  public static final class Builder extends LlmComponentBuilder<Builder> {
    private ValueTags tags = ValueTags.DEFAULT;
    private final List<String> constraints = new ArrayList<>();
    private final List<String> examples = new ArrayList<>();
    private int momentumWindow;
    private UpdateMessages updateMessages;

    private Builder(TextGradEngine engine) {
      super(engine, false);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * The tags around the new value. Defaults to {@link ValueTags#DEFAULT}.
     *
     * @param tags the tags
     * @return this builder
     */
    public Builder tags(ValueTags tags) {
      this.tags = Objects.requireNonNull(tags, "tags");
      return this;
    }

    /**
     * Replaces the constraints the new value must satisfy. Empty by default.
     *
     * @param constraints the constraints, each non-blank
     * @return this builder
     */
    public Builder constraints(List<String> constraints) {
      this.constraints.clear();
      this.constraints.addAll(constraints);
      return this;
    }

    /**
     * Adds one constraint.
     *
     * @param constraint the constraint, non-blank
     * @return this builder
     */
    public Builder addConstraint(String constraint) {
      this.constraints.add(constraint);
      return this;
    }

    /**
     * Replaces the in-context examples of good values. Empty by default.
     *
     * @param examples the examples, each non-blank
     * @return this builder
     */
    public Builder examples(List<String> examples) {
      this.examples.clear();
      this.examples.addAll(examples);
      return this;
    }

    /**
     * How many past values of a parameter each update request shows (momentum). Defaults to 0
     * (none).
     *
     * @param window 0 or more
     * @return this builder
     */
    public Builder momentumWindow(int window) {
      this.momentumWindow = window;
      return this;
    }

    /**
     * Renders the update request's messages in place of the {@code tgd-system} and {@code
     * tgd-update} templates (constraints, examples and momentum are then the renderer's to show).
     * The templates by default.
     *
     * @param messages the renderer, or null for the templates
     * @return this builder
     */
    public Builder updateMessages(UpdateMessages messages) {
      this.updateMessages = messages;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the settings
     * @throws ConfigurationException naming the field and value when one is invalid
     */
    public TextualGradientDescent build() {
      check("constraints", constraints);
      check("examples", examples);
      if (momentumWindow < 0) {
        throw new ConfigurationException(
            "TextualGradientDescent.momentumWindow must be >= 0, got " + momentumWindow);
      }
      return new TextualGradientDescent(this);
    }

    private static void check(String field, List<String> texts) {
      for (int i = 0; i < texts.size(); i++) {
        if (texts.get(i) == null || texts.get(i).isBlank()) {
          throw new ConfigurationException("TextualGradientDescent." + field + "[" + i + "] is "
              + (texts.get(i) == null ? "null" : "blank") + "; remove it or give the text");
        }
      }
    }
  }
}
