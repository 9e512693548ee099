package dev.tpo.spark;

import dev.tpo.PromptLayout;
import dev.tpo.TpoSettings;
import dev.tpo.core.error.ConfigurationException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a Spark job needs to build its {@link dev.tpo.Tpo} on each executor: the policy servers,
 * the model, the reward specs and the run settings. Serializable and shipped with every task, so
 * it holds <b>no secret</b>: API keys are read on each executor from its environment (the
 * variables named by {@link #apiKeyEnv()} and {@link #rewardApiKeyEnv()}) or from the Spark
 * configuration ({@value #POLICY_TOKEN_CONF}, {@value #REWARD_TOKEN_CONF}; Spark redacts keys
 * named {@code *token*} from its UI, logs and event logs).
 *
 * <p>Immutable value; thread-safe. Build with {@link #builder()}; {@link Builder#build()} checks
 * every field on the driver, before any task starts.
 */
public final class TpoJobSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Spark configuration key of the policy servers' API key, read on the executors. */
  public static final String POLICY_TOKEN_CONF = "spark.tpo.policy.token";
  /** Spark configuration key of the reward servers' API key, read on the executors. */
  public static final String REWARD_TOKEN_CONF = "spark.tpo.reward.token";

  /** Serialized field: baseUrls (see its accessor or setter). */
  private final List<String> baseUrls;
  /** Serialized field: model (see its accessor or setter). */
  private final String model;
  /** Serialized field: rewards (see its accessor or setter). */
  private final List<String> rewards;
  /** Serialized field: mode (see its accessor or setter). */
  private final String mode;
  /** Serialized field: samples (see its accessor or setter). */
  private final int samples;
  /** Serialized field: iterations (see its accessor or setter). */
  private final int iterations;
  /** Serialized field: temperature (see its accessor or setter). */
  private final double temperature;
  /** Serialized field: topP (see its accessor or setter). */
  private final double topP;
  /** Serialized field: seed (see its accessor or setter). */
  private final long seed;
  /** Serialized field: maxTokens (see its accessor or setter). */
  private final int maxTokens;
  /** Serialized field: maxContextTokens (see its accessor or setter). */
  private final int maxContextTokens;
  /** Serialized field: earlyStopRounds (see its accessor or setter). */
  private final int earlyStopRounds;
  /** Serialized field: earlyStopMargin (see its accessor or setter). */
  private final double earlyStopMargin;
  /** Serialized field: stopAtMaxScore (see its accessor or setter). */
  private final boolean stopAtMaxScore;
  /** Serialized field: promptLayout (see its accessor or setter). */
  private final PromptLayout promptLayout;
  /** Serialized field: streamScoring (see its accessor or setter). */
  private final boolean streamScoring;
  /** Serialized field: timeoutSeconds (see its accessor or setter). */
  private final long timeoutSeconds;
  /** Serialized field: maxRetries (see its accessor or setter). */
  private final int maxRetries;
  /** Serialized field: runsPerTask (see its accessor or setter). */
  private final int runsPerTask;
  /** Serialized field: maxConcurrentPerEndpoint (see its accessor or setter). */
  private final int maxConcurrentPerEndpoint;
  /** Serialized field: idColumn (see its accessor or setter). */
  private final String idColumn;
  /** Serialized field: promptColumn (see its accessor or setter). */
  private final String promptColumn;
  /** Serialized field: apiKeyEnv (see its accessor or setter). */
  private final String apiKeyEnv;
  /** Serialized field: rewardApiKeyEnv (see its accessor or setter). */
  private final String rewardApiKeyEnv;

  private TpoJobSpec(Builder b) {
    this.baseUrls = List.copyOf(b.baseUrls);
    this.model = b.model;
    this.rewards = List.copyOf(b.rewards.isEmpty() ? List.of("judge") : b.rewards);
    this.mode = b.mode;
    this.samples = b.samples;
    this.iterations = b.iterations;
    this.temperature = b.temperature;
    this.topP = b.topP;
    this.seed = b.seed;
    this.maxTokens = b.maxTokens;
    this.maxContextTokens = b.maxContextTokens;
    this.earlyStopRounds = b.earlyStopRounds;
    this.earlyStopMargin = b.earlyStopMargin;
    this.stopAtMaxScore = b.stopAtMaxScore;
    this.promptLayout = b.promptLayout;
    this.streamScoring = b.streamScoring;
    this.timeoutSeconds = b.timeout.toSeconds();
    this.maxRetries = b.maxRetries;
    this.runsPerTask = b.runsPerTask;
    this.maxConcurrentPerEndpoint = b.maxConcurrentPerEndpoint;
    this.idColumn = b.idColumn;
    this.promptColumn = b.promptColumn;
    this.apiKeyEnv = b.apiKeyEnv;
    this.rewardApiKeyEnv = b.rewardApiKeyEnv;
  }

  /**
   * A new builder.
   *
   * @return a builder with the defaults of {@code tpo run}
   */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the policy servers' OpenAI-compatible base URLs (balanced when several) */
  public List<String> baseUrls() {
    return baseUrls;
  }

  /** @return the policy model's name as the servers know it */
  public String model() {
    return model;
  }

  /** @return the reward specs (balanced when several), {@code judge} by default */
  public List<String> rewards() {
    return rewards;
  }

  /** @return {@code tpo}, {@code revision} or {@code bon} */
  public String mode() {
    return mode;
  }

  /** @return candidates per round (N) */
  public int samples() {
    return samples;
  }

  /** @return refinement rounds (D) */
  public int iterations() {
    return iterations;
  }

  /** @return the sampling temperature */
  public double temperature() {
    return temperature;
  }

  /** @return the nucleus-sampling mass */
  public double topP() {
    return topP;
  }

  /** @return the sampling seed */
  public long seed() {
    return seed;
  }

  /** @return the most tokens per generated response */
  public int maxTokens() {
    return maxTokens;
  }

  /** @return the most tokens of a whole request */
  public int maxContextTokens() {
    return maxContextTokens;
  }

  /** @return rounds without improvement before a run stops refining; 0 is off */
  public int earlyStopRounds() {
    return earlyStopRounds;
  }

  /** @return the rise of the best score that counts as an improvement for early stop */
  public double earlyStopMargin() {
    return earlyStopMargin;
  }

  /** @return whether a run stops refining once its best score is the scorer's maximum */
  public boolean stopAtMaxScore() {
    return stopAtMaxScore;
  }

  /** @return the layout of the loss, gradient and update requests */
  public PromptLayout promptLayout() {
    return promptLayout;
  }

  /** @return whether each candidate is scored as soon as it is generated */
  public boolean streamScoring() {
    return streamScoring;
  }

  /** @return the time limit of one HTTP request */
  public Duration timeout() {
    return Duration.ofSeconds(timeoutSeconds);
  }

  /** @return retries of a failed request (with one server); with several, servers tried */
  public int maxRetries() {
    return maxRetries;
  }

  /** @return TPO runs each task keeps in flight */
  public int runsPerTask() {
    return runsPerTask;
  }

  /** @return the most requests one executor has in flight on one policy server */
  public int maxConcurrentPerEndpoint() {
    return maxConcurrentPerEndpoint;
  }

  /** @return the input column with the prompt's id, {@code id} by default */
  public String idColumn() {
    return idColumn;
  }

  /** @return the input column with the prompt, {@code prompt} by default */
  public String promptColumn() {
    return promptColumn;
  }

  /** @return the executors' environment variable with the policy API key */
  public String apiKeyEnv() {
    return apiKeyEnv;
  }

  /** @return the executors' environment variable with the reward API key */
  public String rewardApiKeyEnv() {
    return rewardApiKeyEnv;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TpoJobSpec)) {
      return false;
    }
    TpoJobSpec s = (TpoJobSpec) o;
    return toString().equals(s.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  /** @return every field (there is no secret among them) */
  @Override
  public String toString() {
    return "TpoJobSpec[baseUrls=" + baseUrls + ", model=" + model + ", rewards=" + rewards
        + ", mode=" + mode + ", samples=" + samples + ", iterations=" + iterations
        + ", temperature=" + temperature + ", topP=" + topP + ", seed=" + seed
        + ", maxTokens=" + maxTokens + ", maxContextTokens=" + maxContextTokens
        + ", earlyStopRounds=" + earlyStopRounds + ", earlyStopMargin=" + earlyStopMargin
        + ", stopAtMaxScore=" + stopAtMaxScore + ", promptLayout=" + promptLayout
        + ", streamScoring=" + streamScoring
        + ", timeoutSeconds=" + timeoutSeconds + ", maxRetries=" + maxRetries
        + ", runsPerTask=" + runsPerTask + ", maxConcurrentPerEndpoint="
        + maxConcurrentPerEndpoint + ", idColumn=" + idColumn + ", promptColumn=" + promptColumn
        + ", apiKeyEnv=" + apiKeyEnv + ", rewardApiKeyEnv=" + rewardApiKeyEnv + "]";
  }

  /**
   * Builds a {@link TpoJobSpec}; {@link #build()} validates every field and names the bad one.
   * Not thread-safe.
   */
  public static final class Builder {
    private final List<String> baseUrls = new ArrayList<>();
    private String model;
    private final List<String> rewards = new ArrayList<>();
    private String mode = "tpo";
    private int samples = 5;
    private int iterations = 2;
    private double temperature = 0.7;
    private double topP = 0.95;
    private long seed = 7;
    private int maxTokens = 2048;
    private int maxContextTokens = 8192;
    private int earlyStopRounds;
    private double earlyStopMargin;
    private boolean stopAtMaxScore;
    private PromptLayout promptLayout = PromptLayout.REFERENCE;
    private boolean streamScoring;
    private Duration timeout = Duration.ofSeconds(300);
    private int maxRetries = 3;
    private int runsPerTask = 16;
    private int maxConcurrentPerEndpoint = 64;
    private String idColumn = "id";
    private String promptColumn = "prompt";
    private String apiKeyEnv = "TPO_API_KEY";
    private String rewardApiKeyEnv = "TPO_REWARD_API_KEY";

    private Builder() {}

    /**
     * Adds a policy server (repeat for several servers of the same model).
     *
     * @param baseUrl an OpenAI-compatible base URL, for example {@code http://gpu0:8000/v1}
     * @return this builder
     */
    public Builder baseUrl(String baseUrl) {
      baseUrls.add(Objects.requireNonNull(baseUrl, "baseUrl").trim());
      return this;
    }

    /**
     * The policy model's name as the servers know it. Required.
     *
     * @param model the name
     * @return this builder
     */
    public Builder model(String model) {
      this.model = model;
      return this;
    }

    /**
     * Adds a reward spec, as {@code tpo run --reward} takes it (repeat for several servers of
     * the same reward model). Defaults to {@code judge}.
     *
     * @param spec for example {@code vllm+http://rm:8001?model=Skywork-Reward}
     * @return this builder
     */
    public Builder reward(String spec) {
      rewards.add(Objects.requireNonNull(spec, "reward").trim());
      return this;
    }

    /**
     * The mode: {@code tpo} (default), {@code revision} or {@code bon}.
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder mode(String mode) {
      this.mode = mode == null ? null : mode.trim().toLowerCase(Locale.ROOT);
      return this;
    }

    /**
     * Candidates per round (N). Defaults to 5.
     *
     * @param samples 1 to 256
     * @return this builder
     */
    public Builder samples(int samples) {
      this.samples = samples;
      return this;
    }

    /**
     * Refinement rounds (D). Defaults to 2.
     *
     * @param iterations at least 0
     * @return this builder
     */
    public Builder iterations(int iterations) {
      this.iterations = iterations;
      return this;
    }

    /**
     * Sampling temperature. Defaults to 0.7.
     *
     * @param temperature 0 to 2
     * @return this builder
     */
    public Builder temperature(double temperature) {
      this.temperature = temperature;
      return this;
    }

    /**
     * Nucleus-sampling mass. Defaults to 0.95.
     *
     * @param topP greater than 0, at most 1
     * @return this builder
     */
    public Builder topP(double topP) {
      this.topP = topP;
      return this;
    }

    /**
     * Sampling seed. Defaults to 7.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Most tokens per generated response. Defaults to 2048.
     *
     * @param maxTokens at least 1, less than {@code maxContextTokens}
     * @return this builder
     */
    public Builder maxTokens(int maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * Most tokens of a whole request, prompt and response. Defaults to 8192.
     *
     * @param maxContextTokens more than {@code maxTokens}
     * @return this builder
     */
    public Builder maxContextTokens(int maxContextTokens) {
      this.maxContextTokens = maxContextTokens;
      return this;
    }

    /**
     * Stop refining a prompt once its best score has not risen by more than {@link
     * #earlyStopMargin} for this many rounds in a row ({@link dev.tpo.StopReason#NO_IMPROVEMENT}).
     * Defaults to 0 (off).
     *
     * @param rounds 0 to {@value TpoSettings#MAX_ITERATIONS}
     * @return this builder
     */
    public Builder earlyStopRounds(int rounds) {
      this.earlyStopRounds = rounds;
      return this;
    }

    /**
     * The rise of the best score that counts as an improvement for {@link #earlyStopRounds}.
     * Defaults to 0 (any rise counts).
     *
     * @param margin at least 0 and finite
     * @return this builder
     */
    public Builder earlyStopMargin(double margin) {
      this.earlyStopMargin = margin;
      return this;
    }

    /**
     * Stop refining a prompt once its best score is the scorer's maximum (the judge's top rating;
     * reward models have none). Defaults to false.
     *
     * @param stop whether to stop at the maximum
     * @return this builder
     */
    public Builder stopAtMaxScore(boolean stop) {
      this.stopAtMaxScore = stop;
      return this;
    }

    /**
     * The layout of the loss, gradient and update requests ({@link PromptLayout}). Defaults to
     * {@link PromptLayout#REFERENCE}.
     *
     * @param layout the layout
     * @return this builder
     */
    public Builder promptLayout(PromptLayout layout) {
      this.promptLayout = layout;
      return this;
    }

    /**
     * Score each candidate as soon as it is generated ({@link dev.tpo.TpoBuilder#streamScoring}).
     * Defaults to false.
     *
     * @param on whether to score candidates as they finish
     * @return this builder
     */
    public Builder streamScoring(boolean on) {
      this.streamScoring = on;
      return this;
    }

    /**
     * Time limit of one HTTP request. Defaults to 300 s.
     *
     * @param timeout at least one second
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Retries of a failed request. Defaults to 3.
     *
     * @param maxRetries 0 to 20
     * @return this builder
     */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * TPO runs each task keeps in flight (no barrier between them). Defaults to 16. An executor
     * with {@code c} cores runs {@code c} tasks at once, so {@code c x runsPerTask} runs.
     *
     * @param runs at least 1
     * @return this builder
     */
    public Builder runsPerTask(int runs) {
      this.runsPerTask = runs;
      return this;
    }

    /**
     * The most requests one executor sends to one policy server at once. Defaults to 64.
     *
     * @param cap at least 1
     * @return this builder
     */
    public Builder maxConcurrentPerEndpoint(int cap) {
      this.maxConcurrentPerEndpoint = cap;
      return this;
    }

    /**
     * The input column holding each prompt's id. Defaults to {@code id}; when the input has no
     * such column, the id is derived from the prompt text (the first 16 hex digits of its
     * SHA-256), so equal prompts share one id and one result.
     *
     * @param column the column name
     * @return this builder
     */
    public Builder idColumn(String column) {
      this.idColumn = column;
      return this;
    }

    /**
     * The input column holding the prompt. Defaults to {@code prompt}.
     *
     * @param column the column name
     * @return this builder
     */
    public Builder promptColumn(String column) {
      this.promptColumn = column;
      return this;
    }

    /**
     * The executors' environment variable holding the policy API key. Defaults to
     * {@code TPO_API_KEY}; the Spark configuration {@value TpoJobSpec#POLICY_TOKEN_CONF} is used
     * when it is unset.
     *
     * @param name the variable's name (never the key itself)
     * @return this builder
     */
    public Builder apiKeyEnv(String name) {
      this.apiKeyEnv = name;
      return this;
    }

    /**
     * The executors' environment variable holding the reward API key. Defaults to
     * {@code TPO_REWARD_API_KEY}; then {@value TpoJobSpec#REWARD_TOKEN_CONF}, then the policy
     * key.
     *
     * @param name the variable's name (never the key itself)
     * @return this builder
     */
    public Builder rewardApiKeyEnv(String name) {
      this.rewardApiKeyEnv = name;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the spec
     * @throws ConfigurationException naming the field, the value and what is allowed
     */
    public TpoJobSpec build() {
      if (baseUrls.isEmpty()) {
        throw new ConfigurationException("TpoJobSpec has no policy server: add baseUrl(\"http://"
            + "HOST:8000/v1\") once per server");
      }
      for (String url : baseUrls) {
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
          throw new ConfigurationException("TpoJobSpec.baseUrl must start with http:// or"
              + " https://, got '" + url + "'");
        }
      }
      if (new HashSet<>(baseUrls).size() != baseUrls.size()) {
        throw new ConfigurationException("TpoJobSpec.baseUrl lists a server twice: " + baseUrls);
      }
      if (model == null || model.isBlank()) {
        throw new ConfigurationException("TpoJobSpec.model is required: the policy model's name"
            + " as the servers list it (GET /v1/models)");
      }
      for (String r : rewards) {
        if (r.isEmpty()) {
          throw new ConfigurationException("TpoJobSpec.reward is empty; give judge,"
              + " vllm+http://HOST:PORT or tei+http://HOST:PORT");
        }
      }
      if (mode == null || !List.of("tpo", "revision", "bon").contains(mode)) {
        throw new ConfigurationException("TpoJobSpec.mode must be tpo, revision or bon, got '"
            + mode + "'");
      }
      range("samples", samples, 1, 256);
      range("iterations", iterations, 0, 100);
      if (!(temperature >= 0 && temperature <= 2)) {
        throw new ConfigurationException("TpoJobSpec.temperature must be between 0 and 2, got "
            + temperature);
      }
      if (!(topP > 0 && topP <= 1)) {
        throw new ConfigurationException("TpoJobSpec.topP must be greater than 0 and at most 1,"
            + " got " + topP);
      }
      range("maxTokens", maxTokens, 1, Integer.MAX_VALUE);
      if (maxContextTokens <= maxTokens) {
        throw new ConfigurationException("TpoJobSpec.maxContextTokens (" + maxContextTokens
            + ") must be more than maxTokens (" + maxTokens + "), which it has to hold with the"
            + " prompt");
      }
      range("earlyStopRounds", earlyStopRounds, 0, TpoSettings.MAX_ITERATIONS);
      if (!(earlyStopMargin >= 0 && Double.isFinite(earlyStopMargin))) {
        throw new ConfigurationException("TpoJobSpec.earlyStopMargin must be at least 0 and"
            + " finite, got " + earlyStopMargin);
      }
      if (promptLayout == null) {
        throw new ConfigurationException("TpoJobSpec.promptLayout must be set: PromptLayout"
            + ".REFERENCE (the default) or PromptLayout.PREFIX_SHARED");
      }
      if (timeout.toSeconds() < 1) {
        throw new ConfigurationException("TpoJobSpec.timeout must be at least 1 s, got "
            + timeout);
      }
      range("maxRetries", maxRetries, 0, 20);
      range("runsPerTask", runsPerTask, 1, 100_000);
      range("maxConcurrentPerEndpoint", maxConcurrentPerEndpoint, 1, 100_000);
      for (String[] c : new String[][] {{"idColumn", idColumn}, {"promptColumn", promptColumn},
          {"apiKeyEnv", apiKeyEnv}, {"rewardApiKeyEnv", rewardApiKeyEnv}}) {
        if (c[1] == null || c[1].isBlank()) {
          throw new ConfigurationException("TpoJobSpec." + c[0] + " must not be empty");
        }
      }
      if (idColumn.equals(promptColumn)) {
        throw new ConfigurationException("TpoJobSpec.idColumn and promptColumn are both '"
            + idColumn + "'; they must be two columns");
      }
      return new TpoJobSpec(this);
    }

    private static void range(String field, long value, long min, long max) {
      if (value < min || value > max) {
        throw new ConfigurationException("TpoJobSpec." + field + " must be between " + min
            + " and " + max + ", got " + value);
      }
    }
  }
}
