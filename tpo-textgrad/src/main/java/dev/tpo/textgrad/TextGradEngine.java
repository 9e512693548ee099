package dev.tpo.textgrad;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.event.Phase;
import dev.tpo.core.model.CallTag;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.text.TokenCounter;
import dev.tpo.textgrad.prompt.ContextBudget;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.util.Objects;
import java.util.Optional;

/**
 * The configuration every TextGrad component shares: the forward model (runs LLM calls), the
 * backward model (writes critiques, runs evaluations and updates unless a component is given its
 * own), the sampling settings of each, the prompt templates, and the token budget for the contexts
 * shown beside feedback. This is what TextGrad keeps in process-wide globals; here it is a value
 * passed in, so several differently configured engines can run side by side.
 *
 * <p>Immutable; thread-safe. Create one and share it between runs; derive a variant with
 * {@link #toBuilder()}.
 */
public final class TextGradEngine {
  /** Default for {@link Builder#contextBudgetTokens(int)}. */
  public static final int DEFAULT_CONTEXT_BUDGET_TOKENS = 8192;

  private final LanguageModel forwardModel;
  private final LanguageModel backwardModel;
  private final Sampling forwardSampling;
  private final Sampling backwardSampling;
  private final PromptTemplates templates;
  private final TokenCounter tokenCounter;
  private final int contextBudgetTokens;
  private final CallTag tag;

  private TextGradEngine(Builder b) {
    this.forwardModel = b.forwardModel;
    this.backwardModel = b.backwardModel != null ? b.backwardModel : b.forwardModel;
    this.forwardSampling = b.forwardSampling;
    this.backwardSampling = b.backwardSampling;
    this.templates = b.templates;
    this.tokenCounter = b.tokenCounter;
    this.contextBudgetTokens = b.contextBudgetTokens;
    this.tag = b.tag;
  }

  /**
   * An engine that uses one model for everything, with default settings.
   *
   * @param model the model
   * @return the engine
   */
  public static TextGradEngine of(LanguageModel model) {
    return builder().forwardModel(model).build();
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder initialised with this engine's settings.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.forwardModel = forwardModel;
    b.backwardModel = backwardModel == forwardModel ? null : backwardModel;
    b.forwardSampling = forwardSampling;
    b.backwardSampling = backwardSampling;
    b.templates = templates;
    b.tokenCounter = tokenCounter;
    b.contextBudgetTokens = contextBudgetTokens;
    b.tag = tag;
    return b;
  }

  /** @return the model that runs forward LLM calls */
  public LanguageModel forwardModel() {
    return forwardModel;
  }

  /** @return the model that writes critiques (and, by default, evaluations and updates) */
  public LanguageModel backwardModel() {
    return backwardModel;
  }

  /** @return sampling settings of forward calls */
  public Sampling forwardSampling() {
    return forwardSampling;
  }

  /** @return sampling settings of backward calls (and, by default, evaluations and updates) */
  public Sampling backwardSampling() {
    return backwardSampling;
  }

  /** @return the prompt templates */
  public PromptTemplates templates() {
    return templates;
  }

  /** @return the token counter used for the context budget */
  public TokenCounter tokenCounter() {
    return tokenCounter;
  }

  /** @return the most tokens the contexts shown in one backward or update prompt may take */
  public int contextBudgetTokens() {
    return contextBudgetTokens;
  }

  /** @return the tag the engine's requests carry, if any */
  public Optional<CallTag> tag() {
    return Optional.ofNullable(tag);
  }

  /**
   * This engine with a tag its requests carry (a TPO run tags each round's engine with the phase
   * and round). Cheap: the models and templates are shared.
   *
   * @param tag the tag, or null for none
   * @return the engine
   */
  public TextGradEngine withTag(CallTag tag) {
    return toBuilder().tag(tag).build();
  }

  /**
   * Attaches the engine's tag to a request the engine builds: forward calls carry it as is,
   * backward calls as {@link Phase#GRADIENT} and update calls as {@link Phase#UPDATE}.
   *
   * @param request the request builder
   * @param phase the phase of the request, or null to keep the tag's
   * @return the same builder
   */
  public ChatRequest.Builder tagRequest(ChatRequest.Builder request, Phase phase) {
    if (tag != null) {
      request.tag(CallTag.class, phase == null ? tag : tag.withPhase(phase));
    }
    return request;
  }

  /**
   * The context budget as an object.
   *
   * @return the budget
   */
  public ContextBudget contextBudget() {
    return new ContextBudget(tokenCounter, contextBudgetTokens);
  }

  @Override
  public String toString() {
    return "TextGradEngine{forward=" + forwardModel.name() + ", backward=" + backwardModel.name()
        + ", forwardSampling=" + forwardSampling + ", backwardSampling=" + backwardSampling
        + ", contextBudgetTokens=" + contextBudgetTokens + "}";
  }

  /** Builds a {@link TextGradEngine}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private LanguageModel forwardModel;
    private LanguageModel backwardModel;
    private Sampling forwardSampling = Sampling.DEFAULT;
    private Sampling backwardSampling = Sampling.DEFAULT;
    private PromptTemplates templates = PromptTemplates.defaults();
    private TokenCounter tokenCounter = TokenCounter.approximate();
    private int contextBudgetTokens = DEFAULT_CONTEXT_BUDGET_TOKENS;
    private CallTag tag;

    private Builder() {}

    /**
     * The tag every request of the engine carries; see {@link TextGradEngine#tagRequest}. None by
     * default.
     *
     * @param tag the tag, or null for none
     * @return this builder
     */
    public Builder tag(CallTag tag) {
      this.tag = tag;
      return this;
    }

    /**
     * The model that runs forward LLM calls. Required.
     *
     * @param model the model
     * @return this builder
     */
    public Builder forwardModel(LanguageModel model) {
      this.forwardModel = Objects.requireNonNull(model, "forwardModel");
      return this;
    }

    /**
     * The model that writes critiques and, unless a component is given its own, runs evaluations
     * and updates. Defaults to the forward model.
     *
     * @param model the model, or null for the forward model
     * @return this builder
     */
    public Builder backwardModel(LanguageModel model) {
      this.backwardModel = model;
      return this;
    }

    /**
     * Sampling settings of forward calls. Defaults to {@link Sampling#DEFAULT} (server defaults).
     *
     * @param sampling the settings
     * @return this builder
     */
    public Builder forwardSampling(Sampling sampling) {
      this.forwardSampling = Objects.requireNonNull(sampling, "forwardSampling");
      return this;
    }

    /**
     * Sampling settings of backward calls and, unless a component is given its own, of
     * evaluations and updates. Defaults to {@link Sampling#DEFAULT} (server defaults).
     *
     * @param sampling the settings
     * @return this builder
     */
    public Builder backwardSampling(Sampling sampling) {
      this.backwardSampling = Objects.requireNonNull(sampling, "backwardSampling");
      return this;
    }

    /**
     * The prompt templates. Defaults to {@link PromptTemplates#defaults()}.
     *
     * @param templates the templates
     * @return this builder
     */
    public Builder templates(PromptTemplates templates) {
      this.templates = Objects.requireNonNull(templates, "templates");
      return this;
    }

    /**
     * Replaces one template of the current set; see {@link PromptTemplates#with(String, String)}.
     *
     * @param name the template name
     * @param text the new template text
     * @return this builder
     */
    public Builder template(String name, String text) {
      this.templates = templates.with(name, text);
      return this;
    }

    /**
     * Counts tokens for the context budget. Defaults to {@link TokenCounter#approximate()}.
     *
     * @param counter the counter
     * @return this builder
     */
    public Builder tokenCounter(TokenCounter counter) {
      this.tokenCounter = Objects.requireNonNull(counter, "tokenCounter");
      return this;
    }

    /**
     * The most tokens the contexts (system prompts, inputs, outputs of forward calls) shown in one
     * backward or update prompt may take together; longer ones are shortened, never the variable
     * itself nor the feedback. Defaults to {@value TextGradEngine#DEFAULT_CONTEXT_BUDGET_TOKENS}.
     *
     * @param tokens at least 1
     * @return this builder
     */
    public Builder contextBudgetTokens(int tokens) {
      this.contextBudgetTokens = tokens;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the engine
     * @throws ConfigurationException naming the field when one is missing or out of range
     */
    public TextGradEngine build() {
      if (forwardModel == null) {
        throw new ConfigurationException(
            "TextGradEngine.forwardModel is not set: pass the LanguageModel that runs LLM calls,"
                + " e.g. TextGradEngine.builder().forwardModel(model)");
      }
      if (contextBudgetTokens < 1) {
        throw new ConfigurationException(
            "TextGradEngine.contextBudgetTokens must be at least 1, got " + contextBudgetTokens);
      }
      return new TextGradEngine(this);
    }
  }
}
