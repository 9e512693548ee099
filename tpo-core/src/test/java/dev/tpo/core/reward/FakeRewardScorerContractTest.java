package dev.tpo.core.reward;

import dev.tpo.core.testing.FakeRewardScorer;
import dev.tpo.core.testing.RewardScorerContractTest;

/** The fake scorer itself passes the contract that real scorers must pass. */
class FakeRewardScorerContractTest extends RewardScorerContractTest {
  @Override
  protected RewardScorer createScorer() {
    return FakeRewardScorer.byLength();
  }
}
