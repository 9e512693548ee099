package dev.tpo.reward.djl;

import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.testing.RewardScorerContractTest;
import dev.tpo.reward.djl.testmodel.TinyRewardModel;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The DJL scorer on the real ONNX Runtime engine passes the RewardScorer contract. */
class DjlRewardScorerContractTest extends RewardScorerContractTest {
  @TempDir static Path dir;

  @BeforeAll
  static void writeModel() {
    TinyRewardModel.write(dir);
  }

  @Override
  protected RewardScorer createScorer() {
    // A batch size below the contract's batch of four, so batching really splits the call.
    return DjlRewardScorer.builder().modelDirectory(dir).batchSize(3).build();
  }

  @Override
  protected double tolerance() {
    return 1e-5;
  }
}
