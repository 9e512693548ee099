package dev.tpo.spring.boot;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code tpo.*} properties. Unknown {@code tpo.*} properties fail the application context,
 * naming the property. A setting left unset keeps the library's default ({@code Tpo.builder()}).
 *
 * <p>The least an application sets: {@code tpo.policy.base-url} (its OpenAI-compatible server;
 * unset means OpenAI, which then needs {@code tpo.policy.api-key}), {@code tpo.policy.model} and
 * {@code tpo.reward.spec}.
 *
 * <p>Immutable value; thread-safe. {@code toString()} masks the API keys.
 *
 * @param policy The policy model's server
 * @param reward The reward scorer
 * @param mode The TPO mode: tpo (default), revision or best-of-n
 * @param samples Candidates per round (N); the library's default is 5
 * @param iterations Refinement rounds (D); the library's default is 2
 * @param temperature Sampling temperature, 0 to 2; the library's default is 0.7
 * @param topP Nucleus-sampling mass, above 0 and at most 1; the library's default is 0.95
 * @param seed The seed sent with every request; the library's default is 7
 * @param maxTokens The most tokens per generated answer; the library's default is 2048
 * @param maxContextTokens The policy's context window in tokens; the library's default is 8192
 * @param responseTruncationTokens How many tokens of a response the critique prompts keep; the
 *     library's default is 2048
 * @param tokenBudget The most tokens one run may spend; unlimited by default
 * @param timeLimit The longest one run may take (for example 30s); unlimited by default
 * @param earlyStopRounds Stop refining once the best score has not risen by more than
 *     early-stop-margin for this many rounds in a row, 0 (off) to 1000; the library's default is 0
 * @param earlyStopMargin The rise of the best score that counts as an improvement for
 *     early-stop-rounds, at least 0; the library's default is 0 (any rise counts)
 * @param stopAtMaxScore Whether to stop refining once the best score is the scorer's maximum (the
 *     judge's top rating; reward models have none); the library's default is false
 * @param promptLayout The layout of the loss, gradient and update requests: reference (the
 *     library's default) or prefix-shared (the requests of a round start with the same block, so a
 *     server's prefix cache serves more of them)
 * @param streamScoring Whether to score each candidate as soon as it is generated (streamed
 *     requests), taking scoring off the critical path; the library's default is false
 * @param metrics Micrometer metrics and observations of the runs
 */
@ConfigurationProperties(prefix = "tpo", ignoreUnknownFields = false)
public record TpoProperties(
    @DefaultValue Policy policy,
    @DefaultValue Reward reward,
    String mode,
    Integer samples,
    Integer iterations,
    Double temperature,
    Double topP,
    Long seed,
    Integer maxTokens,
    Integer maxContextTokens,
    Integer responseTruncationTokens,
    Long tokenBudget,
    Duration timeLimit,
    Integer earlyStopRounds,
    Double earlyStopMargin,
    Boolean stopAtMaxScore,
    String promptLayout,
    Boolean streamScoring,
    @DefaultValue Metrics metrics) {

  /**
   * The policy model's OpenAI-compatible server ({@code tpo.policy.*}).
   *
   * @param baseUrl The server's URL, with or without /v1 (for example
   *     http://localhost:8000/v1); unset means OpenAI (https://api.openai.com/v1)
   * @param model The model name the server serves (required)
   * @param apiKey The server's API key (required for OpenAI, optional for a self-hosted server)
   * @param timeout The time limit of one request; the library's default is 10 minutes
   * @param maxRetries Retries of a failed request (429, 5xx, connection); the library's default
   *     is 2
   * @param maxConcurrentRequests The most requests in flight to the server at once; the library's
   *     default is 64
   */
  public record Policy(String baseUrl, String model, String apiKey, Duration timeout,
      Integer maxRetries, Integer maxConcurrentRequests) {

    @Override
    public String toString() {
      return "Policy[baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
          + (apiKey == null || apiKey.isBlank() ? "none" : "***") + ", timeout=" + timeout
          + ", maxRetries=" + maxRetries + ", maxConcurrentRequests=" + maxConcurrentRequests
          + "]";
    }
  }

  /**
   * The reward scorer ({@code tpo.reward.*}).
   *
   * @param spec Which scorer (required): vllm+http://HOST:PORT (a vLLM reward model),
   *     tei+http://HOST:PORT (text-embeddings-inference), judge (the policy as an
   *     LLM judge) or djl:DIRECTORY (a local model, with tpo-reward-djl)
   * @param apiKey The reward server's API key (optional)
   * @param timeout The time limit of one scoring request; the library's default is 60 seconds
   * @param maxRetries Retries of a failed scoring request; the library's default is 2
   */
  public record Reward(String spec, String apiKey, Duration timeout, Integer maxRetries) {

    @Override
    public String toString() {
      return "Reward[spec=" + spec + ", apiKey="
          + (apiKey == null || apiKey.isBlank() ? "none" : "***") + ", timeout=" + timeout
          + ", maxRetries=" + maxRetries + "]";
    }
  }

  /**
   * Micrometer metrics and observations of the runs ({@code tpo.metrics.*}); recorded when
   * Micrometer and a {@code MeterRegistry} bean are present.
   *
   * @param enabled Whether to record Micrometer metrics and observations of TPO runs
   */
  public record Metrics(@DefaultValue("true") boolean enabled) {}
}
