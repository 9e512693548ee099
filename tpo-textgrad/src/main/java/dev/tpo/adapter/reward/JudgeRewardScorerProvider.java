package dev.tpo.adapter.reward;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorerProvider;
import java.util.Locale;

/**
 * Creates a {@link JudgeRewardScorer} from the spec {@code judge} on the context's judge model
 * ({@link RewardScorerContext#judgeModel()}), with the default rubric and a 0 to 10 scale.
 *
 * <p>Stateless; thread-safe. Registered in {@code META-INF/services}.
 */
public final class JudgeRewardScorerProvider implements RewardScorerProvider {

  /** Used by {@link java.util.ServiceLoader}. */
  public JudgeRewardScorerProvider() {}

  @Override
  public String name() {
    return "judge";
  }

  @Override
  public boolean supports(String spec) {
    return spec.trim().toLowerCase(Locale.ROOT).equals("judge");
  }

  @Override
  public RewardScorer create(String spec, RewardScorerContext context) {
    return JudgeRewardScorer.builder()
        .model(context.judgeModel().orElseThrow(() -> new ConfigurationException(
            "the reward spec 'judge' needs a judge model, and the context has none: set it with"
                + " RewardScorerContext.withJudgeModel(model) (Tpo's builder and the CLI pass"
                + " the policy model unless told otherwise), or name a reward server such as"
                + " vllm+http://localhost:8001")))
        .build();
  }

  @Override
  public String syntax() {
    return "judge";
  }
}
