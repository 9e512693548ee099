package dev.tpo.cli.run;

import dev.tpo.TpoSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of a {@code tpo run}, resolved from the command line and the environment: where the
 * policy server and the reward scorer are, the mode, the run's {@link TpoSettings} (the same type a
 * {@link dev.tpo.Tpo} and a {@link dev.tpo.TpoRequest} take; {@code --max-tokens-response} is its
 * {@code maxTokens}, {@code --max-tokens-all} its {@code maxContextTokens}), and the command's own
 * concurrency, timeout and retries.
 *
 * <p>Immutable value; thread-safe. {@link #toString()} never shows the API key.
 *
 * @param baseUrl the OpenAI-compatible base URL, for example {@code http://localhost:8000/v1};
 *     several servers of the same model comma-separated ({@link #baseUrls()})
 * @param model the policy model name; empty to use the only model the server lists
 * @param apiKey the policy server's API key, if any
 * @param rewardApiKey the reward server's API key, if any (else the policy's key is sent)
 * @param reward the reward spec ({@code judge}, {@code vllm+http://...}, a model directory, ...);
 *     several servers of the same reward model comma-separated ({@link #rewards()})
 * @param mode {@code tpo}, {@code revision} or {@code bon}
 * @param settings the TPO settings, every field the command sets laid over {@link
 *     TpoSettings#DEFAULTS}
 * @param concurrency prompts run at once
 * @param timeout timeout of one HTTP request
 * @param maxRetries retries of a failed request (429, 5xx, connection errors), to the policy and
 *     to HTTP reward servers
 * @param policy the policy model run in process instead of a server: a spec such as {@code
 *     llama:/models/x.gguf} or {@code hf:OWNER/REPO/FILE.gguf} ({@code --policy}, {@code
 *     TPO_POLICY}), or {@link #EMBEDDED} for the embedded default model; empty to use the server
 *     at {@code baseUrl}
 * @param streamScoring score each candidate as soon as it is generated ({@code --stream-scoring},
 *     {@link dev.tpo.TpoBuilder#streamScoring})
 * @param balancing how several policy servers share the runs ({@code --max-in-flight-per-server},
 *     {@code --spill-after-queued}); ignored with one server
 */
public record RunConfig(
    String baseUrl,
    Optional<String> model,
    Optional<String> apiKey,
    Optional<String> rewardApiKey,
    String reward,
    String mode,
    TpoSettings settings,
    int concurrency,
    Duration timeout,
    int maxRetries,
    Optional<String> policy,
    boolean streamScoring,
    Balancing balancing) {

  /** The {@link #policy()} value that means the embedded default model. */
  public static final String EMBEDDED = "embedded";

  /**
   * Validates that no field is null and resolves the settings over the defaults.
   *
   * @param baseUrl the OpenAI-compatible base URL, for example {@code http://localhost:8000/v1}
   * @param model the policy model name; empty to use the only model the server lists
   * @param apiKey the policy server's API key, if any
   * @param rewardApiKey the reward server's API key, if any (else the policy's key is sent)
   * @param reward the reward spec ({@code judge}, {@code vllm+http://...}, a model directory, ...)
   * @param mode {@code tpo}, {@code revision} or {@code bon}
   * @param settings the TPO settings the command sets
   * @param concurrency prompts run at once
   * @param timeout timeout of one HTTP request
   * @param maxRetries retries of a failed request (429, 5xx, connection errors)
   * @param policy the in-process policy model's spec, or {@link #EMBEDDED}; empty for a server
   * @param streamScoring whether candidates are scored as soon as they are generated
   * @param balancing the balancer's settings for several policy servers
   */
  public RunConfig {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(rewardApiKey, "rewardApiKey");
    Objects.requireNonNull(reward, "reward");
    Objects.requireNonNull(mode, "mode");
    settings = TpoSettings.DEFAULTS.overrideWith(Objects.requireNonNull(settings, "settings"));
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(balancing, "balancing");
  }

  /**
   * How several policy servers share a run's requests (the balancer's settings).
   *
   * @param maxInFlightPerServer requests in flight on one server at most; 0 for the balancer's
   *     default (32)
   * @param spillAfterQueued requests waiting on a run's full server from which its next request
   *     moves to a server with a free slot; -1 for never (the default: each run stays on one
   *     server, whose prefix cache holds its prompts)
   */
  public record Balancing(int maxInFlightPerServer, int spillAfterQueued) {
    /** Every run on one server; the balancer's default cap. */
    public static final Balancing DEFAULT = new Balancing(0, -1);

    /**
     * Validates the ranges.
     *
     * @param maxInFlightPerServer requests in flight on one server at most; 0 for the default
     * @param spillAfterQueued requests waiting from which a run's request moves; -1 for never
     */
    public Balancing {
      if (maxInFlightPerServer < 0) {
        throw new IllegalArgumentException(
            "maxInFlightPerServer must be at least 0, got " + maxInFlightPerServer);
      }
      if (spillAfterQueued < -1) {
        throw new IllegalArgumentException(
            "spillAfterQueued must be at least -1, got " + spillAfterQueued);
      }
    }
  }

  /**
   * Settings without scoring while sampling.
   *
   * @param baseUrl the OpenAI-compatible base URL, for example {@code http://localhost:8000/v1}
   * @param model the policy model name; empty to use the only model the server lists
   * @param apiKey the policy server's API key, if any
   * @param rewardApiKey the reward server's API key, if any (else the policy's key is sent)
   * @param reward the reward spec ({@code judge}, {@code vllm+http://...}, a model directory, ...)
   * @param mode {@code tpo}, {@code revision} or {@code bon}
   * @param settings the TPO settings the command sets
   * @param concurrency prompts run at once
   * @param timeout timeout of one HTTP request
   * @param maxRetries retries of a failed request (429, 5xx, connection errors)
   * @param policy the in-process policy model's spec, or {@link #EMBEDDED}; empty for a server
   */
  public RunConfig(String baseUrl, Optional<String> model, Optional<String> apiKey,
      Optional<String> rewardApiKey, String reward, String mode, TpoSettings settings,
      int concurrency, Duration timeout, int maxRetries, Optional<String> policy) {
    this(baseUrl, model, apiKey, rewardApiKey, reward, mode, settings, concurrency, timeout,
        maxRetries, policy, false, Balancing.DEFAULT);
  }

  /**
   * A copy with scoring while sampling on or off.
   *
   * @param on whether candidates are scored as soon as they are generated
   * @return a new config
   */
  public RunConfig withStreamScoring(boolean on) {
    return new RunConfig(baseUrl, model, apiKey, rewardApiKey, reward, mode, settings,
        concurrency, timeout, maxRetries, policy, on, balancing);
  }

  /**
   * A copy with the balancer's settings for several policy servers.
   *
   * @param b the settings
   * @return a new config
   */
  public RunConfig withBalancing(Balancing b) {
    return new RunConfig(baseUrl, model, apiKey, rewardApiKey, reward, mode, settings,
        concurrency, timeout, maxRetries, policy, streamScoring, b);
  }

  /**
   * Settings for a policy server (no in-process model).
   *
   * @param baseUrl the OpenAI-compatible base URL, for example {@code http://localhost:8000/v1}
   * @param model the policy model name; empty to use the only model the server lists
   * @param apiKey the policy server's API key, if any
   * @param rewardApiKey the reward server's API key, if any (else the policy's key is sent)
   * @param reward the reward spec ({@code judge}, {@code vllm+http://...}, a model directory, ...)
   * @param mode {@code tpo}, {@code revision} or {@code bon}
   * @param settings the TPO settings the command sets
   * @param concurrency prompts run at once
   * @param timeout timeout of one HTTP request
   * @param maxRetries retries of a failed request (429, 5xx, connection errors)
   */
  public RunConfig(String baseUrl, Optional<String> model, Optional<String> apiKey,
      Optional<String> rewardApiKey, String reward, String mode, TpoSettings settings,
      int concurrency, Duration timeout, int maxRetries) {
    this(baseUrl, model, apiKey, rewardApiKey, reward, mode, settings, concurrency, timeout,
        maxRetries, Optional.empty());
  }

  /**
   * Where the policy runs, for messages.
   *
   * @return the base URL(s), or {@code in process (SPEC)} for an in-process model
   */
  public String policyLocation() {
    return policy.map(p -> "in process (" + p + ")").orElse(baseUrl);
  }

  /** @return candidates per round (N), from {@link #settings()} */
  public int samples() {
    return settings.samples();
  }

  /** @return refinement rounds (D), from {@link #settings()} */
  public int iterations() {
    return settings.iterations();
  }

  /** @return the sampling temperature, from {@link #settings()} */
  public double temperature() {
    return settings.temperature();
  }

  /** @return the nucleus-sampling mass, from {@link #settings()} */
  public double topP() {
    return settings.topP();
  }

  /** @return the sampling seed, from {@link #settings()} */
  public long seed() {
    return settings.seed();
  }

  /** @return {@code --max-tokens-response}: {@link TpoSettings#maxTokens()} */
  public int maxTokensResponse() {
    return settings.maxTokens();
  }

  /** @return {@code --max-tokens-all}: {@link TpoSettings#maxContextTokens()} */
  public int maxTokensAll() {
    return settings.maxContextTokens();
  }

  /**
   * A copy with the model name set (after the probe found it).
   *
   * @param name the model name
   * @return a new config
   */
  public RunConfig withModel(String name) {
    return new RunConfig(baseUrl, Optional.of(name), apiKey, rewardApiKey, reward, mode, settings,
        concurrency, timeout, maxRetries, policy, streamScoring, balancing);
  }

  /** @return the policy servers' base URLs, one or more, in the order given; none in process */
  public List<String> baseUrls() {
    return baseUrl.isEmpty() ? List.of() : List.of(baseUrl.split(","));
  }

  /** @return the reward specs, one or more, in the order given */
  public List<String> rewards() {
    return List.of(reward.split(","));
  }

  @Override
  public String toString() {
    return "RunConfig[baseUrl=" + baseUrl + policy.map(p -> ", policy=" + p).orElse("")
        + ", model=" + model.orElse("(server's only model)")
        + ", apiKey=" + (apiKey.isPresent() ? "***" : "none")
        + ", rewardApiKey=" + (rewardApiKey.isPresent() ? "***" : "none") + ", reward=" + reward
        + ", mode=" + mode + ", settings=" + settings + ", concurrency=" + concurrency
        + ", timeout=" + timeout + ", maxRetries=" + maxRetries
        + (streamScoring ? ", streamScoring=true" : "")
        + (balancing.equals(Balancing.DEFAULT) ? "" : ", balancing=" + balancing) + "]";
  }
}
