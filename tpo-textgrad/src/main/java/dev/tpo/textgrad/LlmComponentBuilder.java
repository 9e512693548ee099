package dev.tpo.textgrad;

import dev.tpo.core.model.LanguageModel;
import java.util.Objects;

/**
 * What the builders of the engine's LLM-backed components share ({@link
 * dev.tpo.textgrad.ops.LlmCall}, {@link dev.tpo.textgrad.ops.FormattedLlmCall}, {@link
 * dev.tpo.textgrad.loss.LlmTextLoss}, {@link dev.tpo.textgrad.optim.TextualGradientDescent}): the
 * engine the component runs on, and the model and sampling settings of its requests, which default
 * to the engine's: its forward ones for forward LLM calls, its backward ones for evaluations
 * (losses) and updates.
 *
 * <p>Not thread-safe.
 *
 * @param <B> the concrete builder, which every setter returns
 */
public abstract class LlmComponentBuilder<B extends LlmComponentBuilder<B>> {
  private final TextGradEngine engine;
  private final boolean forward;
  private LanguageModel model;
  private Sampling sampling;

  /**
   * Starts a builder.
   *
   * @param engine the engine, not null
   * @param forward true for a forward LLM call (defaults: the engine's forward model and
   *     sampling), false for an evaluation or an update (defaults: its backward ones)
   */
  protected LlmComponentBuilder(TextGradEngine engine, boolean forward) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.forward = forward;
  }

  /**
   * The model that answers the component's requests. Defaults to the engine's forward model for
   * LLM calls and to its backward model for losses and textual gradient descent.
   *
   * @param model the model, or null for the default
   * @return this builder
   */
  public B model(LanguageModel model) {
    this.model = model;
    return self();
  }

  /**
   * Sampling settings of the component's requests. Defaults to the engine's forward sampling for
   * LLM calls and to its backward sampling for losses and textual gradient descent (whose update
   * requests get their {@code n} per proposal).
   *
   * @param sampling the settings, or null for the default
   * @return this builder
   */
  public B sampling(Sampling sampling) {
    this.sampling = sampling;
    return self();
  }

  /**
   * The engine given to the builder.
   *
   * @return the engine
   */
  public final TextGradEngine engine() {
    return engine;
  }

  /**
   * The model the built component will use: the one set, else the engine's default for this kind
   * of component.
   *
   * @return the model
   */
  public final LanguageModel effectiveModel() {
    if (model != null) {
      return model;
    }
    return forward ? engine.forwardModel() : engine.backwardModel();
  }

  /**
   * The sampling settings the built component will use: the ones set, else the engine's default
   * for this kind of component.
   *
   * @return the settings
   */
  public final Sampling effectiveSampling() {
    if (sampling != null) {
      return sampling;
    }
    return forward ? engine.forwardSampling() : engine.backwardSampling();
  }

  /**
   * This builder as its concrete type.
   *
   * @return this
   */
  protected abstract B self();
}
