package dev.tpo.core.reward;

import dev.tpo.core.model.LanguageModel;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a {@link RewardScorerProvider} may need beyond the spec: the policy model (for an LLM judge),
 * an API key for reward servers that want one, a request timeout and how often a failed request is
 * retried.
 *
 * <p>Immutable value; thread-safe. {@link #toString()} never shows the API key.
 *
 * @param judgeModel the model an LLM-as-judge scorer talks to, if any
 * @param apiKey the API key for reward servers, if any
 * @param timeout the timeout of one scoring request
 * @param maxRetries retries of a failed scoring request (429, 5xx, dropped connections), or empty
 *     for the scorer's own default
 */
public record RewardScorerContext(
    Optional<LanguageModel> judgeModel, Optional<String> apiKey, Duration timeout,
    OptionalInt maxRetries) {

  /** No judge model, no API key, a 60-second timeout, the scorer's own retries. */
  public static final RewardScorerContext DEFAULT =
      new RewardScorerContext(Optional.empty(), Optional.empty(), Duration.ofSeconds(60));

  /**
   * Validates the fields.
   *
   * @param judgeModel the model an LLM-as-judge scorer talks to, if any
   * @param apiKey the API key for reward servers, if any
   * @param timeout the timeout of one scoring request
   * @param maxRetries retries of a failed scoring request, 0 to 20, or empty for the scorer's own
   *     default
   */
  public RewardScorerContext {
    Objects.requireNonNull(judgeModel, "judgeModel");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(maxRetries, "maxRetries");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    if (maxRetries.isPresent() && (maxRetries.getAsInt() < 0 || maxRetries.getAsInt() > 20)) {
      throw new IllegalArgumentException(
          "maxRetries must be between 0 and 20, got " + maxRetries.getAsInt());
    }
  }

  /**
   * A context that leaves retries to the scorer's own default.
   *
   * @param judgeModel the model an LLM-as-judge scorer talks to, if any
   * @param apiKey the API key for reward servers, if any
   * @param timeout the timeout of one scoring request
   */
  public RewardScorerContext(
      Optional<LanguageModel> judgeModel, Optional<String> apiKey, Duration timeout) {
    this(judgeModel, apiKey, timeout, OptionalInt.empty());
  }

  /**
   * A copy with the judge model set.
   *
   * @param model the model
   * @return a new context
   */
  public RewardScorerContext withJudgeModel(LanguageModel model) {
    return new RewardScorerContext(Optional.of(model), apiKey, timeout, maxRetries);
  }

  /**
   * A copy with the API key set.
   *
   * @param key the key
   * @return a new context
   */
  public RewardScorerContext withApiKey(String key) {
    return new RewardScorerContext(judgeModel, Optional.ofNullable(key), timeout, maxRetries);
  }

  /**
   * A copy with the timeout set.
   *
   * @param value the timeout, positive
   * @return a new context
   */
  public RewardScorerContext withTimeout(Duration value) {
    return new RewardScorerContext(judgeModel, apiKey, value, maxRetries);
  }

  /**
   * A copy with the retries of a failed scoring request set.
   *
   * @param value 0 to 20
   * @return a new context
   */
  public RewardScorerContext withMaxRetries(int value) {
    return new RewardScorerContext(judgeModel, apiKey, timeout, OptionalInt.of(value));
  }

  @Override
  public String toString() {
    return "RewardScorerContext[judgeModel=" + judgeModel.map(LanguageModel::name).orElse("none")
        + ", apiKey=" + (apiKey.isPresent() ? "***" : "none") + ", timeout=" + timeout
        + ", maxRetries=" + (maxRetries.isPresent() ? maxRetries.getAsInt() : "default") + "]";
  }
}
