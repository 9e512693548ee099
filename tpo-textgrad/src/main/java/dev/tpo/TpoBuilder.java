package dev.tpo;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.event.TpoListener;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.text.TokenCounter;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Builds a {@link Tpo}. Only the policy model and the reward scorer are required; every other
 * setting has the paper's default, stated on its setter. {@link #build()} validates everything and
 * names the bad field and value.
 *
 * <p>Not thread-safe; the {@link Tpo} it builds is.
 */
public final class TpoBuilder {
  LanguageModel policy;
  LanguageModel critic;
  RewardScorer scorer;
  TpoMode mode = TpoMode.TPO;
  private final TpoSettings.Builder settings = TpoSettings.builder();
  PromptTemplates prompts = PromptTemplates.defaults();
  final Map<String, String> promptOverrides = new LinkedHashMap<>();
  TpoListener listener = TpoListener.NONE;
  Executor executor;
  Clock clock = Clock.systemUTC();
  TokenCounter tokenCounter = TokenCounter.approximate();
  boolean streamScoring;

  TpoBuilder() {}

  /**
   * Sets every setting that {@code settings} sets (the others keep their values); for example
   * {@link TpoEnvironment#settings()} or settings built from command-line options. Unset settings
   * default to {@link TpoSettings#DEFAULTS}.
   *
   * @param settings the settings
   * @return this builder
   */
  public TpoBuilder settings(TpoSettings settings) {
    this.settings.settings(Objects.requireNonNull(settings, "settings"));
    return this;
  }

  /**
   * The policy model: samples the first N answers and rewrites them in each update. Required.
   *
   * @param model the model
   * @return this builder
   */
  public TpoBuilder policy(LanguageModel model) {
    this.policy = model;
    return this;
  }

  /**
   * A separate model for the loss and the gradient (the critique). Defaults to the policy model.
   *
   * @param model the model, or null to use the policy
   * @return this builder
   */
  public TpoBuilder critic(LanguageModel model) {
    this.critic = model;
    return this;
  }

  /**
   * The reward scorer; the loop wraps it with {@link RewardScorer#checked}. Required.
   *
   * @param scorer the scorer
   * @return this builder
   */
  public TpoBuilder scorer(RewardScorer scorer) {
    this.scorer = scorer;
    return this;
  }

  /**
   * The algorithm. Defaults to {@link TpoMode#TPO}.
   *
   * @param mode the mode
   * @return this builder
   */
  public TpoBuilder mode(TpoMode mode) {
    this.mode = mode;
    return this;
  }

  /**
   * N: candidates per sampling and per update request. Defaults to 5.
   *
   * @param samples 1 to 256
   * @return this builder
   */
  public TpoBuilder samples(int samples) {
    settings.samples(samples);
    return this;
  }

  /**
   * D: refinement rounds. Defaults to 2. 0 gives Best-of-N.
   *
   * @param iterations 0 to {@value TpoSettings#MAX_ITERATIONS}
   * @return this builder
   */
  public TpoBuilder iterations(int iterations) {
    settings.iterations(iterations);
    return this;
  }

  /**
   * Sampling temperature of every request. Defaults to 0.7.
   *
   * @param temperature 0 to 2
   * @return this builder
   */
  public TpoBuilder temperature(double temperature) {
    settings.temperature(temperature);
    return this;
  }

  /**
   * Nucleus-sampling mass of every request. Defaults to 0.95.
   *
   * @param topP greater than 0, at most 1
   * @return this builder
   */
  public TpoBuilder topP(double topP) {
    settings.topP(topP);
    return this;
  }

  /**
   * Seed of every request (sampling, loss, gradient and update). Defaults to 7.
   *
   * @param seed the seed
   * @return this builder
   */
  public TpoBuilder seed(long seed) {
    settings.seed(seed);
    return this;
  }

  /**
   * The most tokens per generated response. Defaults to 2048.
   *
   * @param maxTokens at least 1
   * @return this builder
   */
  public TpoBuilder maxTokens(int maxTokens) {
    settings.maxTokens(maxTokens);
    return this;
  }

  /**
   * The most tokens of prompt plus response in one request. The loss context shown in the
   * gradient and update prompts is shortened to what the window leaves after the response
   * ({@code maxTokens}), the optimized response ({@code responseTruncationTokens}) and about 1024
   * tokens for templates and feedback; a request whose prompt still leaves less room than
   * {@code maxTokens} gets a smaller {@code max_tokens}, and one whose prompt fills the window
   * fails the run with a message naming this setting. Defaults to 8192.
   *
   * @param maxContextTokens at least {@code maxTokens}
   * @return this builder
   */
  public TpoBuilder maxContextTokens(int maxContextTokens) {
    settings.maxContextTokens(maxContextTokens);
    return this;
  }

  /**
   * The chosen and rejected responses are cut to this many tokens before they enter the loss,
   * gradient and update prompts; the pool keeps the full texts. Defaults to 2048.
   *
   * @param tokens at least 1
   * @return this builder
   */
  public TpoBuilder responseTruncationTokens(int tokens) {
    settings.responseTruncationTokens(tokens);
    return this;
  }

  /**
   * The most tokens a run may spend (all phases, prompt plus completion); once spent, the run
   * stops refining and returns the best answer so far with {@link StopReason#TOKEN_BUDGET}. It is
   * checked before each round and between the requests of a round, so the last request may go
   * over it. No limit by default.
   *
   * @param tokens at least 1
   * @return this builder
   */
  public TpoBuilder tokenBudget(long tokens) {
    settings.tokenBudget(tokens);
    return this;
  }

  /**
   * The most wall time a run may take; once reached, the run stops refining and returns the best
   * answer so far with {@link StopReason#TIME_LIMIT}. It is checked before each round and between
   * the requests of a round; a request in flight is not interrupted (bound those with the model's
   * own timeout). No limit by default.
   *
   * @param limit positive, at least 1 ms
   * @return this builder
   */
  public TpoBuilder timeLimit(Duration limit) {
    settings.timeLimit(limit);
    return this;
  }

  /**
   * Early stop, opt-in: the run stops refining once the best score has not risen by more than
   * {@link #earlyStopMargin(double)} for {@code rounds} rounds in a row, and returns the best answer
   * so far with {@link StopReason#NO_IMPROVEMENT}. Checked before each round. 0 (off) by default.
   *
   * @param rounds k, 0 (off) to {@value TpoSettings#MAX_ITERATIONS}
   * @return this builder
   */
  public TpoBuilder earlyStopRounds(int rounds) {
    settings.earlyStopRounds(rounds);
    return this;
  }

  /**
   * How much the best score must rise in a round to count as an improvement for {@link
   * #earlyStopRounds(int)}. 0 by default (any rise counts).
   *
   * @param margin at least 0
   * @return this builder
   */
  public TpoBuilder earlyStopMargin(double margin) {
    settings.earlyStopMargin(margin);
    return this;
  }

  /**
   * Early stop, opt-in: the run stops refining once the best score reaches the scorer's maximum
   * ({@link dev.tpo.core.reward.RewardScorer#maxScore()}: the LLM judge's top rating; reward
   * models have none), with {@link StopReason#MAX_SCORE}. Checked before each round. Off by
   * default.
   *
   * @param stop true to stop at the maximum
   * @return this builder
   */
  public TpoBuilder stopAtMaxScore(boolean stop) {
    settings.stopAtMaxScore(stop);
    return this;
  }

  /**
   * How the loss, gradient and update requests of a round are laid out: {@link
   * PromptLayout#REFERENCE} (the default, the reference's prompts) or {@link
   * PromptLayout#PREFIX_SHARED} (the three requests start with the same block, so a server's
   * prefix cache serves more of each prompt). Same requests and instructions either way.
   *
   * @param layout the layout
   * @return this builder
   */
  public TpoBuilder promptLayout(PromptLayout layout) {
    settings.promptLayout(Objects.requireNonNull(layout, "layout"));
    return this;
  }

  /**
   * The prompt registry of every run: the sampling system prompt, the loss instructions and the
   * engine's gradient and update prompts. Defaults to {@link PromptTemplates#defaults()}.
   *
   * @param prompts the registry
   * @return this builder
   */
  public TpoBuilder prompts(PromptTemplates prompts) {
    this.prompts = prompts;
    return this;
  }

  /**
   * Replaces one prompt of the registry by name, for example {@link PromptTemplates#TPO_LOSS} or
   * {@link PromptTemplates#TGD_UPDATE}; {@link #build()} checks the name and the placeholders. None
   * replaced by default.
   *
   * @param name the prompt's name, one of {@link PromptTemplates#NAMES}
   * @param text the replacement
   * @return this builder
   */
  public TpoBuilder prompt(String name, String text) {
    this.promptOverrides.put(Objects.requireNonNull(name, "name"),
        Objects.requireNonNull(text, "text"));
    return this;
  }

  /**
   * Receives the events of every run. Defaults to {@link TpoListener#NONE}. A listener that
   * throws is logged and ignored.
   *
   * @param listener the listener
   * @return this builder
   */
  public TpoBuilder listener(TpoListener listener) {
    this.listener = listener;
    return this;
  }

  /**
   * Runs {@code optimizeAsync} and the workers of {@code optimizeAll} (one blocked thread per run
   * in flight). Defaults to {@link dev.tpo.internal.DefaultExecutor}: a virtual thread per run on Java
   * 21 and newer, else a shared cached pool of daemon threads.
   *
   * @param executor the executor
   * @return this builder
   */
  public TpoBuilder executor(Executor executor) {
    this.executor = executor;
    return this;
  }

  /**
   * The clock for timings and the time limit. Defaults to {@link Clock#systemUTC()}.
   *
   * @param clock the clock
   * @return this builder
   */
  public TpoBuilder clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /**
   * Counts tokens for truncation and the context check. Defaults to {@link
   * TokenCounter#approximate()} (four characters per token).
   *
   * @param counter the counter
   * @return this builder
   */
  public TpoBuilder tokenCounter(TokenCounter counter) {
    this.tokenCounter = counter;
    return this;
  }

  /**
   * Scoring while sampling: the sampling request and each update request are sent so that the
   * policy reports every choice as soon as it has finished ({@link
   * LanguageModel#chatAsync(dev.tpo.core.model.ChatRequest, dev.tpo.core.model.ChoiceListener)};
   * the OpenAI-compatible adapter streams the request), and each finished choice goes to the
   * scorer at once, on its own, while slower choices are still being generated; the round's
   * scores are gathered when the last one arrives. With a served reward model (the vLLM and TEI
   * scorers) this takes scoring off the critical path, most when the choices differ in length.
   * The answers and scores are those of the plain path provided the scorer scores each response
   * on its own (a score does not depend on the other responses of the batch), as reward models
   * do; the scorer then gets one request per distinct candidate instead of one batch. A policy
   * that does not stream, or a server that does not stream {@code n > 1}, only loses the head
   * start. Off by default.
   *
   * @param streamScoring whether to score choices as they finish
   * @return this builder
   */
  public TpoBuilder streamScoring(boolean streamScoring) {
    this.streamScoring = streamScoring;
    return this;
  }

  /**
   * Validates and builds.
   *
   * @return the instance
   * @throws ConfigurationException naming the field and value when one is missing or invalid
   */
  public Tpo build() {
    if (policy == null) {
      throw missing("policy", "the LanguageModel that samples and rewrites answers, e.g."
          + " OpenAiCompatibleModel.builder()...build()");
    }
    if (scorer == null) {
      throw missing("scorer", "the RewardScorer that ranks answers, e.g."
          + " RewardScorers.fromSpec(\"vllm+http://localhost:8001\", context)");
    }
    if (mode == null) {
      throw missing("mode", "TpoMode.TPO, TpoMode.REVISION or TpoMode.BEST_OF_N");
    }
    if (prompts == null) {
      throw missing("prompts", "PromptTemplates.defaults() or a variant of it");
    }
    if (listener == null) {
      throw missing("listener", "a TpoListener, or TpoListener.NONE");
    }
    if (clock == null) {
      throw missing("clock", "a java.time.Clock, e.g. Clock.systemUTC()");
    }
    if (tokenCounter == null) {
      throw missing("tokenCounter", "a TokenCounter, e.g. TokenCounter.approximate()");
    }
    prompts.withAll(promptOverrides); // checks names and placeholders
    return new Tpo(this, TpoSettings.DEFAULTS.overrideWith(settings.build()));
  }

  private static ConfigurationException missing(String field, String what) {
    return new ConfigurationException(
        "Tpo.builder()." + field + "(...) is not set: give " + what);
  }
}
