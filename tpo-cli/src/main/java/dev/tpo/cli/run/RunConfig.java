package dev.tpo.cli.run;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of a {@code tpo run} that reach the policy server, the reward scorer and the loop,
 * resolved from the command line and the environment.
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
 * @param samples candidates per round (N)
 * @param iterations refinement rounds (D)
 * @param temperature sampling temperature
 * @param topP nucleus-sampling mass
 * @param seed sampling seed
 * @param maxTokensResponse most tokens per generated response
 * @param maxTokensAll most tokens of a whole request (prompt and response)
 * @param concurrency prompts run at once
 * @param timeout timeout of one HTTP request
 * @param maxRetries retries of a failed request (429, 5xx, connection errors), to the policy and
 *     to HTTP reward servers
 * @param policy the policy model run in process instead of a server: a spec such as {@code
 *     llama:/models/x.gguf} or {@code hf:OWNER/REPO/FILE.gguf} ({@code --policy}, {@code
 *     TPO_POLICY}), or {@link #EMBEDDED} for the embedded default model; empty to use the server
 *     at {@code baseUrl}
 */
public record RunConfig(
    String baseUrl,
    Optional<String> model,
    Optional<String> apiKey,
    Optional<String> rewardApiKey,
    String reward,
    String mode,
    int samples,
    int iterations,
    double temperature,
    double topP,
    long seed,
    int maxTokensResponse,
    int maxTokensAll,
    int concurrency,
    Duration timeout,
    int maxRetries,
    Optional<String> policy) {

  /** The {@link #policy()} value that means the embedded default model. */
  public static final String EMBEDDED = "embedded";

  /**
   * Validates that no field is null.
   *
   * @param baseUrl the OpenAI-compatible base URL, for example {@code http://localhost:8000/v1}
   * @param model the policy model name; empty to use the only model the server lists
   * @param apiKey the policy server's API key, if any
   * @param rewardApiKey the reward server's API key, if any (else the policy's key is sent)
   * @param reward the reward spec ({@code judge}, {@code vllm+http://...}, a model directory, ...)
   * @param mode {@code tpo}, {@code revision} or {@code bon}
   * @param samples candidates per round (N)
   * @param iterations refinement rounds (D)
   * @param temperature sampling temperature
   * @param topP nucleus-sampling mass
   * @param seed sampling seed
   * @param maxTokensResponse most tokens per generated response
   * @param maxTokensAll most tokens of a whole request (prompt and response)
   * @param concurrency prompts run at once
   * @param timeout timeout of one HTTP request
   * @param maxRetries retries of a failed request (429, 5xx, connection errors)
   * @param policy the in-process policy model's spec, or {@link #EMBEDDED}; empty for a server
   */
  public RunConfig {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(rewardApiKey, "rewardApiKey");
    Objects.requireNonNull(reward, "reward");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(policy, "policy");
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
   * @param samples candidates per round (N)
   * @param iterations refinement rounds (D)
   * @param temperature sampling temperature
   * @param topP nucleus-sampling mass
   * @param seed sampling seed
   * @param maxTokensResponse most tokens per generated response
   * @param maxTokensAll most tokens of a whole request (prompt and response)
   * @param concurrency prompts run at once
   * @param timeout timeout of one HTTP request
   * @param maxRetries retries of a failed request (429, 5xx, connection errors)
   */
  public RunConfig(String baseUrl, Optional<String> model, Optional<String> apiKey,
      Optional<String> rewardApiKey, String reward, String mode, int samples, int iterations,
      double temperature, double topP, long seed, int maxTokensResponse, int maxTokensAll,
      int concurrency, Duration timeout, int maxRetries) {
    this(baseUrl, model, apiKey, rewardApiKey, reward, mode, samples, iterations, temperature,
        topP, seed, maxTokensResponse, maxTokensAll, concurrency, timeout, maxRetries,
        Optional.empty());
  }

  /**
   * Where the policy runs, for messages.
   *
   * @return the base URL(s), or {@code in process (SPEC)} for an in-process model
   */
  public String policyLocation() {
    return policy.map(p -> "in process (" + p + ")").orElse(baseUrl);
  }

  /**
   * A copy with the model name set (after the probe found it).
   *
   * @param name the model name
   * @return a new config
   */
  public RunConfig withModel(String name) {
    return new RunConfig(baseUrl, Optional.of(name), apiKey, rewardApiKey, reward, mode, samples, iterations,
        temperature, topP, seed, maxTokensResponse, maxTokensAll, concurrency, timeout,
        maxRetries, policy);
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
        + ", mode=" + mode + ", samples=" + samples + ", iterations=" + iterations
        + ", temperature=" + temperature + ", topP=" + topP + ", seed=" + seed
        + ", maxTokensResponse=" + maxTokensResponse + ", maxTokensAll=" + maxTokensAll
        + ", concurrency=" + concurrency + ", timeout=" + timeout + ", maxRetries=" + maxRetries
        + "]";
  }
}
