package dev.tpo.reward.djl;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.reward.djl.testmodel.TinyRewardModel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default engine without its native artifact: runs in its own surefire execution, whose class
 * path lacks {@code com.microsoft.onnxruntime:onnxruntime} (ONNX Runtime's Java API and natives).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OnnxRuntimeMissingTest {
  @TempDir Path dir;

  @Test
  void namesTheArtifactToAdd() {
    assumeTrue(OnnxRuntimeMissingTest.class.getResource("/ai/onnxruntime/OrtEnvironment.class")
        == null, "runs in the onnxruntime-missing surefire execution");
    TinyRewardModel.write(dir);
    assertThatThrownBy(() -> DjlRewardScorer.builder().modelDirectory(dir).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("OnnxRuntime engine could not load its native library")
        .hasMessageContaining("com.microsoft.onnxruntime:onnxruntime");
  }
}
