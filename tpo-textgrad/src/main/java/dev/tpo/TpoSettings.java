package dev.tpo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.SamplingLimits;
import java.time.Duration;
import java.util.Optional;

/**
 * The settings of TPO runs, defined once: N, D, the sampling settings sent with every request, the
 * token limits and the run's budgets. Every field may be unset (null); {@link
 * #overrideWith(TpoSettings)} lays one settings value over another, as langchain4j's {@code
 * ChatRequestParameters.overrideWith}. The defaults of a {@link Tpo} ({@link
 * TpoBuilder#settings}), the overrides of a {@link TpoRequest} ({@link
 * TpoRequest.Builder#settings}), the {@code tpo} command's options and the environment ({@link
 * TpoEnvironment#settings}) all produce this type; a run uses {@link #DEFAULTS}{@code
 * .overrideWith(tpo).overrideWith(request)}, which every {@link TpoResult} records.
 *
 * <p>The constructor checks every field that is set and names the bad one; {@code maxContextTokens}
 * must be at least {@code maxTokens} when both are set.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param samples N: candidates per sampling and per update request, 1 to {@value
 *     ChatRequest#MAX_N}; default 5
 * @param iterations D: refinement rounds, 0 (Best-of-N) to {@value #MAX_ITERATIONS}; default 2
 * @param temperature sampling temperature of every request, 0 to 2; default 0.7
 * @param topP nucleus-sampling mass of every request, greater than 0 and at most 1; default 0.95
 * @param seed the seed sent with every request (sampling, loss, gradient and update); default 7
 * @param maxTokens the most tokens per generated response, at least 1; default 2048
 * @param maxContextTokens the most tokens of prompt plus response in one request, at least {@code
 *     maxTokens}; requests whose prompt would leave less room get a smaller {@code max_tokens}, and
 *     one whose prompt fills it stops refining; default 8192 (the command's {@code --max-tokens-all})
 * @param responseTruncationTokens chosen and rejected responses are cut to this many tokens before
 *     they enter the loss, gradient and update prompts (the pool keeps the full texts), at least 1;
 *     default 2048
 * @param tokenBudget the most tokens (prompt plus completion, all phases) a run may spend before it
 *     stops refining, at least 1; no limit by default
 * @param timeLimitMillis the most wall time in milliseconds a run may take before it stops
 *     refining, at least 1; no limit by default
 * @param earlyStopRounds k: the run stops refining ({@link StopReason#NO_IMPROVEMENT}) once the
 *     best score has not risen by more than {@code earlyStopMargin} for this many rounds in a row
 *     (the rise counted from the best score at the last improvement, so a slow creep adds up),
 *     0 (off) to {@value #MAX_ITERATIONS}; default 0
 * @param earlyStopMargin how much the best score must rise in a round to count as an improvement
 *     for {@code earlyStopRounds}, at least 0 and finite; default 0 (any rise counts)
 * @param stopAtMaxScore whether the run stops refining ({@link StopReason#MAX_SCORE}) once the
 *     best score reaches the scorer's maximum ({@link
 *     dev.tpo.core.reward.RewardScorer#maxScore()}, for example the judge's top rating); no effect
 *     with an unbounded scorer; default false
 * @param promptLayout how the loss, gradient and update requests are laid out ({@link
 *     PromptLayout}); default {@link PromptLayout#REFERENCE}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TpoSettings(
    Integer samples,
    Integer iterations,
    Double temperature,
    Double topP,
    Long seed,
    Integer maxTokens,
    Integer maxContextTokens,
    Integer responseTruncationTokens,
    Long tokenBudget,
    Long timeLimitMillis,
    Integer earlyStopRounds,
    Double earlyStopMargin,
    Boolean stopAtMaxScore,
    PromptLayout promptLayout) {

  /** The most refinement rounds a run may ask for. */
  public static final int MAX_ITERATIONS = 1000;

  /** Nothing set: overriding with it changes nothing. */
  public static final TpoSettings EMPTY = builder().build();

  /**
   * The paper's settings, where every run starts: N=5, D=2, temperature 0.7, top_p 0.95, seed 7,
   * 2048 tokens per response, 8192 per request, responses cut to 2048 tokens in prompts, no token
   * budget, no time limit, no early stop, the reference's prompt layout.
   */
  public static final TpoSettings DEFAULTS = builder().samples(5).iterations(2).temperature(0.7)
      .topP(0.95).seed(7L).maxTokens(2048).maxContextTokens(8192).responseTruncationTokens(2048)
      .earlyStopRounds(0).earlyStopMargin(0.0).stopAtMaxScore(false)
      .promptLayout(PromptLayout.REFERENCE)
      .build();

  /**
   * Checks every field that is set.
   *
   * @param samples N: candidates per sampling and per update request
   * @param iterations D: refinement rounds
   * @param temperature sampling temperature
   * @param topP nucleus-sampling mass
   * @param seed the seed of every request
   * @param maxTokens the most tokens per generated response
   * @param maxContextTokens the most tokens of prompt plus response in one request
   * @param responseTruncationTokens how many tokens of chosen and rejected enter the prompts
   * @param tokenBudget the most tokens a run may spend
   * @param timeLimitMillis the most wall time of a run, in milliseconds
   * @param earlyStopRounds rounds without improvement before the run stops refining, 0 for off
   * @param earlyStopMargin the rise of the best score that counts as an improvement
   * @param stopAtMaxScore whether to stop refining at the scorer's maximum
   * @param promptLayout the layout of the refinement requests
   * @throws ConfigurationException naming the field and value when one is out of range
   */
  public TpoSettings {
    if (samples != null && (samples < 1 || samples > ChatRequest.MAX_N)) {
      throw bad("samples", samples, "between 1 and " + ChatRequest.MAX_N);
    }
    if (iterations != null && (iterations < 0 || iterations > MAX_ITERATIONS)) {
      throw bad("iterations", iterations, "between 0 (Best-of-N) and " + MAX_ITERATIONS);
    }
    SamplingLimits.temperature(temperature).ifPresent(range -> {
      throw bad("temperature", temperature, range);
    });
    SamplingLimits.topP(topP).ifPresent(range -> {
      throw bad("topP", topP, range);
    });
    SamplingLimits.maxTokens(maxTokens).ifPresent(range -> {
      throw bad("maxTokens", maxTokens, range);
    });
    if (maxContextTokens != null && maxContextTokens < 1) {
      throw bad("maxContextTokens", maxContextTokens, "at least 1");
    }
    if (maxContextTokens != null && maxTokens != null && maxContextTokens < maxTokens) {
      throw bad("maxContextTokens", maxContextTokens,
          "at least maxTokens (" + maxTokens + "): the context must hold a whole response");
    }
    if (responseTruncationTokens != null && responseTruncationTokens < 1) {
      throw bad("responseTruncationTokens", responseTruncationTokens, "at least 1");
    }
    if (tokenBudget != null && tokenBudget < 1) {
      throw bad("tokenBudget", tokenBudget, "at least 1, or unset for no limit");
    }
    if (timeLimitMillis != null && timeLimitMillis < 1) {
      throw bad("timeLimit", Duration.ofMillis(timeLimitMillis),
          "at least 1 ms, or unset for no limit");
    }
    if (earlyStopRounds != null && (earlyStopRounds < 0 || earlyStopRounds > MAX_ITERATIONS)) {
      throw bad("earlyStopRounds", earlyStopRounds,
          "between 0 (no early stop) and " + MAX_ITERATIONS);
    }
    if (earlyStopMargin != null && !(earlyStopMargin >= 0 && Double.isFinite(earlyStopMargin))) {
      throw bad("earlyStopMargin", earlyStopMargin, "at least 0 and finite");
    }
  }

  /**
   * A builder with nothing set.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder with these settings.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    return new Builder().settings(this);
  }

  /**
   * These settings with every field that {@code overrides} sets replaced by its value.
   *
   * @param overrides the settings laid over these; null changes nothing
   * @return the combined settings
   * @throws ConfigurationException when the combination is out of range (for example {@code
   *     maxTokens} above {@code maxContextTokens}), naming the field
   */
  public TpoSettings overrideWith(TpoSettings overrides) {
    // identity, not equals: a record's first equals builds its method-handle tree
    // (java.lang.runtime.ObjectMethods), about 50 ms before a command's first request (issue
    // 21); other all-null overrides give these values anyway
    if (overrides == null || overrides == EMPTY) {
      return this;
    }
    return new TpoSettings(
        pick(overrides.samples, samples),
        pick(overrides.iterations, iterations),
        pick(overrides.temperature, temperature),
        pick(overrides.topP, topP),
        pick(overrides.seed, seed),
        pick(overrides.maxTokens, maxTokens),
        pick(overrides.maxContextTokens, maxContextTokens),
        pick(overrides.responseTruncationTokens, responseTruncationTokens),
        pick(overrides.tokenBudget, tokenBudget),
        pick(overrides.timeLimitMillis, timeLimitMillis),
        pick(overrides.earlyStopRounds, earlyStopRounds),
        pick(overrides.earlyStopMargin, earlyStopMargin),
        pick(overrides.stopAtMaxScore, stopAtMaxScore),
        pick(overrides.promptLayout, promptLayout));
  }

  private static <T> T pick(T override, T base) {
    return override != null ? override : base;
  }

  /**
   * The token budget, if any.
   *
   * @return the budget
   */
  @JsonIgnore
  public Optional<Long> tokenBudgetIfSet() {
    return Optional.ofNullable(tokenBudget);
  }

  /**
   * The wall-time limit, if any.
   *
   * @return the limit
   */
  @JsonIgnore
  public Optional<Duration> timeLimit() {
    return Optional.ofNullable(timeLimitMillis).map(Duration::ofMillis);
  }

  /**
   * Whether early stop on no improvement is on ({@code earlyStopRounds} set and above 0).
   *
   * @return true when the run may stop with {@link StopReason#NO_IMPROVEMENT}
   */
  @JsonIgnore
  public boolean earlyStopOn() {
    return earlyStopRounds != null && earlyStopRounds > 0;
  }

  private static ConfigurationException bad(String field, Object value, String allowed) {
    return new ConfigurationException(
        "TPO setting '" + field + "' must be " + allowed + ", got " + value
            + "; fix it on Tpo.builder()." + field + "(...) or TpoRequest.builder()." + field
            + "(...)");
  }

  /**
   * Builds a {@link TpoSettings}; each setter's Javadoc gives the value a run uses when nothing
   * sets it ({@link TpoSettings#DEFAULTS}). Not thread-safe.
   */
  public static final class Builder {
    private Integer samples;
    private Integer iterations;
    private Double temperature;
    private Double topP;
    private Long seed;
    private Integer maxTokens;
    private Integer maxContextTokens;
    private Integer responseTruncationTokens;
    private Long tokenBudget;
    private Long timeLimitMillis;
    private Integer earlyStopRounds;
    private Double earlyStopMargin;
    private Boolean stopAtMaxScore;
    private PromptLayout promptLayout;

    private Builder() {}

    /**
     * Sets every field that {@code settings} sets, as {@link TpoSettings#overrideWith}.
     *
     * @param settings the settings
     * @return this builder
     */
    public Builder settings(TpoSettings settings) {
      if (settings != null) {
        samples = pick(settings.samples, samples);
        iterations = pick(settings.iterations, iterations);
        temperature = pick(settings.temperature, temperature);
        topP = pick(settings.topP, topP);
        seed = pick(settings.seed, seed);
        maxTokens = pick(settings.maxTokens, maxTokens);
        maxContextTokens = pick(settings.maxContextTokens, maxContextTokens);
        responseTruncationTokens =
            pick(settings.responseTruncationTokens, responseTruncationTokens);
        tokenBudget = pick(settings.tokenBudget, tokenBudget);
        timeLimitMillis = pick(settings.timeLimitMillis, timeLimitMillis);
        earlyStopRounds = pick(settings.earlyStopRounds, earlyStopRounds);
        earlyStopMargin = pick(settings.earlyStopMargin, earlyStopMargin);
        stopAtMaxScore = pick(settings.stopAtMaxScore, stopAtMaxScore);
        promptLayout = pick(settings.promptLayout, promptLayout);
      }
      return this;
    }

    /**
     * N: candidates per sampling and per update request. Defaults to 5.
     *
     * @param samples 1 to 256, or null to unset
     * @return this builder
     */
    public Builder samples(Integer samples) {
      this.samples = samples;
      return this;
    }

    /**
     * D: refinement rounds. Defaults to 2. 0 gives Best-of-N.
     *
     * @param iterations 0 to {@value TpoSettings#MAX_ITERATIONS}, or null to unset
     * @return this builder
     */
    public Builder iterations(Integer iterations) {
      this.iterations = iterations;
      return this;
    }

    /**
     * Sampling temperature of every request. Defaults to 0.7.
     *
     * @param temperature 0 to 2, or null to unset
     * @return this builder
     */
    public Builder temperature(Double temperature) {
      this.temperature = temperature;
      return this;
    }

    /**
     * Nucleus-sampling mass of every request. Defaults to 0.95.
     *
     * @param topP greater than 0, at most 1, or null to unset
     * @return this builder
     */
    public Builder topP(Double topP) {
      this.topP = topP;
      return this;
    }

    /**
     * Seed of every request (sampling, loss, gradient and update). Defaults to 7.
     *
     * @param seed the seed, or null to unset
     * @return this builder
     */
    public Builder seed(Long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The most tokens per generated response. Defaults to 2048.
     *
     * @param maxTokens at least 1, or null to unset
     * @return this builder
     */
    public Builder maxTokens(Integer maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * The most tokens of prompt plus response in one request (the command's {@code
     * --max-tokens-all}). Defaults to 8192.
     *
     * @param maxContextTokens at least {@code maxTokens}, or null to unset
     * @return this builder
     */
    public Builder maxContextTokens(Integer maxContextTokens) {
      this.maxContextTokens = maxContextTokens;
      return this;
    }

    /**
     * How many tokens of the chosen and rejected responses enter the prompts. Defaults to 2048.
     *
     * @param tokens at least 1, or null to unset
     * @return this builder
     */
    public Builder responseTruncationTokens(Integer tokens) {
      this.responseTruncationTokens = tokens;
      return this;
    }

    /**
     * The most tokens a run may spend. No limit by default.
     *
     * @param tokens at least 1, or null to unset
     * @return this builder
     */
    public Builder tokenBudget(Long tokens) {
      this.tokenBudget = tokens;
      return this;
    }

    /**
     * The most wall time a run may take. No limit by default.
     *
     * @param limit at least 1 ms, or null to unset
     * @return this builder
     * @throws ConfigurationException when the limit is shorter than 1 ms
     */
    public Builder timeLimit(Duration limit) {
      if (limit != null && (limit.isNegative() || limit.toMillis() < 1)) {
        throw new ConfigurationException("TPO setting 'timeLimit' must be at least 1 ms, got "
            + limit + "; fix it on Tpo.builder().timeLimit(...) or"
            + " TpoRequest.builder().timeLimit(...)");
      }
      this.timeLimitMillis = limit == null ? null : limit.toMillis();
      return this;
    }

    /**
     * k: the run stops refining once the best score has not risen by more than {@link
     * #earlyStopMargin} for this many rounds in a row ({@link StopReason#NO_IMPROVEMENT}). 0 (off)
     * by default.
     *
     * @param rounds 0 to {@value TpoSettings#MAX_ITERATIONS}, or null to unset
     * @return this builder
     */
    public Builder earlyStopRounds(Integer rounds) {
      this.earlyStopRounds = rounds;
      return this;
    }

    /**
     * How much the best score must rise in a round to count as an improvement for {@link
     * #earlyStopRounds}. Defaults to 0 (any rise counts).
     *
     * @param margin at least 0, or null to unset
     * @return this builder
     */
    public Builder earlyStopMargin(Double margin) {
      this.earlyStopMargin = margin;
      return this;
    }

    /**
     * Whether the run stops refining once the best score reaches the scorer's maximum ({@link
     * StopReason#MAX_SCORE}; only bounded scorers, as the LLM judge, have one). Defaults to false.
     *
     * @param stop true to stop at the maximum, or null to unset
     * @return this builder
     */
    public Builder stopAtMaxScore(Boolean stop) {
      this.stopAtMaxScore = stop;
      return this;
    }

    /**
     * How the loss, gradient and update requests of a round are laid out. Defaults to {@link
     * PromptLayout#REFERENCE}.
     *
     * @param layout the layout, or null to unset
     * @return this builder
     */
    public Builder promptLayout(PromptLayout layout) {
      this.promptLayout = layout;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the settings
     * @throws ConfigurationException naming the field and value when one is out of range
     */
    public TpoSettings build() {
      return new TpoSettings(samples, iterations, temperature, topP, seed, maxTokens,
          maxContextTokens, responseTruncationTokens, tokenBudget, timeLimitMillis,
          earlyStopRounds, earlyStopMargin, stopAtMaxScore, promptLayout);
    }
  }
}
