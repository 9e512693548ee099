package dev.tpo.reward.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorers;
import dev.tpo.reward.djl.testmodel.TinyRewardModel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reward specs reach the DJL scorer through ServiceLoader and RewardScorers.fromSpec. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DjlRewardScorerProviderTest {
  private static final List<String> RESPONSES = List.of("Rayleigh scattering.", "", "No.");

  @TempDir static Path dir;

  @BeforeAll
  static void writeModel() {
    TinyRewardModel.write(dir);
  }

  @Test
  void isRegisteredWithServiceLoader() {
    assertThat(RewardScorers.providers())
        .anySatisfy(p -> assertThat(p).isInstanceOf(DjlRewardScorerProvider.class));
  }

  @Test
  void djlSpecCreatesAWorkingScorer() throws Exception {
    RewardScorer scorer = RewardScorers.fromSpec("djl:" + dir, RewardScorerContext.DEFAULT);
    try (DjlRewardScorer djl = (DjlRewardScorer) scorer) {
      assertThat(djl.modelDirectory()).isEqualTo(dir);
      assertThat(djl.score("Why?", RESPONSES)).hasSize(3).allSatisfy(s -> assertThat(s).isFinite());
    }
  }

  @Test
  void plainDirectoryPathWorksToo() {
    try (DjlRewardScorer byPath = (DjlRewardScorer) RewardScorers.fromSpec(dir.toString(),
            RewardScorerContext.DEFAULT);
        DjlRewardScorer bySpec = (DjlRewardScorer) RewardScorers.fromSpec("djl:" + dir,
            RewardScorerContext.DEFAULT)) {
      List<Double> a = byPath.score("Why?", RESPONSES);
      List<Double> b = bySpec.score("Why?", RESPONSES);
      for (int i = 0; i < a.size(); i++) {
        assertThat(a.get(i)).isCloseTo(b.get(i), within(1e-6));
      }
    }
  }

  @Test
  void queryParametersReachTheBuilder() {
    String spec = "djl:" + dir + "?engine=onnx&device=cpu&format=pair&batchSize=2&maxLength=32"
        + "&truncation=left&predictors=1&model=model.onnx";
    try (DjlRewardScorer scorer =
        (DjlRewardScorer) RewardScorers.fromSpec(spec, RewardScorerContext.DEFAULT)) {
      assertThat(scorer.batchSize()).isEqualTo(2);
      assertThat(scorer.maxLength()).isEqualTo(32);
      assertThat(scorer.inputFormat()).isEqualTo(InputFormat.pair());
      assertThat(scorer.toString()).contains("engine=ONNX_RUNTIME", "device=cpu()");
    }
  }

  @Test
  void badParametersAreNamed() {
    assertThatThrownBy(() -> RewardScorers.fromSpec("djl:" + dir + "?batch=2",
        RewardScorerContext.DEFAULT))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown parameter 'batch'")
        .hasMessageContaining("batchSize");
    assertThatThrownBy(() -> RewardScorers.fromSpec("djl:" + dir + "?batchSize=many",
        RewardScorerContext.DEFAULT))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("batchSize must be a whole number, got 'many'");
    assertThatThrownBy(() -> RewardScorers.fromSpec("djl:" + dir + "?engine=tensorflow",
        RewardScorerContext.DEFAULT))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("engine 'tensorflow' is not known");
    assertThatThrownBy(() -> RewardScorers.fromSpec("djl:" + dir + "?format=gemma",
        RewardScorerContext.DEFAULT))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("format 'gemma' is not known");
  }

  @Test
  void missingDirectoryInSpecIsNamed() {
    assertThatThrownBy(() -> RewardScorers.fromSpec("djl:/no/such/rm",
        RewardScorerContext.DEFAULT))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("/no/such/rm")
        .hasMessageContaining("does not exist");
  }

  @Test
  void leavesOtherSpecsToOtherProviders() {
    DjlRewardScorerProvider provider = new DjlRewardScorerProvider();
    assertThat(provider.supports("djl:/models/rm")).isTrue();
    assertThat(provider.supports("DJL:/models/rm")).isTrue();
    assertThat(provider.supports("./rm")).isTrue();
    assertThat(provider.supports("/models/rm?device=gpu:0")).isTrue();
    assertThat(provider.supports("vllm+http://localhost:8001/pooling")).isFalse();
    assertThat(provider.supports("tei+http://localhost:8080")).isFalse();
    assertThat(provider.supports("judge")).isFalse();
    assertThat(provider.syntax()).startsWith("djl:/path/to/model-dir");
  }
}
