package dev.tpo.core.reward;

import dev.tpo.core.model.LanguageModel;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link RewardScorerProvider} may need beyond the spec: the policy model (for an LLM judge),
 * an API key for reward servers that want one, and a request timeout.
 *
 * <p>Immutable value; thread-safe. {@link #toString()} never shows the API key.
 *
 * @param judgeModel the model an LLM-as-judge scorer talks to, if any
 * @param apiKey the API key for reward servers, if any
 * @param timeout the timeout of one scoring request
 */
public record RewardScorerContext(
    Optional<LanguageModel> judgeModel, Optional<String> apiKey, Duration timeout) {

  /** No judge model, no API key, a 60-second timeout. */
  public static final RewardScorerContext DEFAULT =
      new RewardScorerContext(Optional.empty(), Optional.empty(), Duration.ofSeconds(60));

  /**
   * Validates the fields.
   *
   * @param judgeModel the model an LLM-as-judge scorer talks to, if any
   * @param apiKey the API key for reward servers, if any
   * @param timeout the timeout of one scoring request
   */
  public RewardScorerContext {
    Objects.requireNonNull(judgeModel, "judgeModel");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
  }

  /**
   * A copy with the judge model set.
   *
   * @param model the model
   * @return a new context
   */
  public RewardScorerContext withJudgeModel(LanguageModel model) {
    return new RewardScorerContext(Optional.of(model), apiKey, timeout);
  }

  /**
   * A copy with the API key set.
   *
   * @param key the key
   * @return a new context
   */
  public RewardScorerContext withApiKey(String key) {
    return new RewardScorerContext(judgeModel, Optional.ofNullable(key), timeout);
  }

  /**
   * A copy with the timeout set.
   *
   * @param value the timeout, positive
   * @return a new context
   */
  public RewardScorerContext withTimeout(Duration value) {
    return new RewardScorerContext(judgeModel, apiKey, value);
  }

  @Override
  public String toString() {
    return "RewardScorerContext[judgeModel=" + judgeModel.map(LanguageModel::name).orElse("none")
        + ", apiKey=" + (apiKey.isPresent() ? "***" : "none") + ", timeout=" + timeout + "]";
  }
}
