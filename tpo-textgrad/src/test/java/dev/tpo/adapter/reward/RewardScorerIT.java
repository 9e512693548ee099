package dev.tpo.adapter.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorers;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Against a real reward server; skipped unless {@code TPO_IT_REWARD_SPEC} is set, for example
 * {@code vllm+http://localhost:8001} or {@code tei+http://localhost:8080}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RewardScorerIT {

  @Test
  void scoresAGoodAnswerAboveABadOne() {
    String spec = System.getenv("TPO_IT_REWARD_SPEC");
    assumeTrue(spec != null && !spec.isBlank(), "TPO_IT_REWARD_SPEC is not set");
    RewardScorer scorer = RewardScorers.fromSpec(spec,
        RewardScorerContext.DEFAULT.withApiKey(System.getenv("TPO_IT_API_KEY")));
    List<Double> scores = RewardScorer.checked(scorer).score("What is 2 + 2?",
        List.of("2 + 2 = 4.", "2 + 2 = 5, everyone knows that."));
    assertThat(scores).hasSize(2);
    assertThat(scores.get(0)).isGreaterThan(scores.get(1));
  }
}
