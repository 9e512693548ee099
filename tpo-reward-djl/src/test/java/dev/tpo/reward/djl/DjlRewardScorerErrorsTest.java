package dev.tpo.reward.djl;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.reward.djl.testmodel.TinyRewardModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every way loading can fail gives a ConfigurationException naming the value and the fix. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DjlRewardScorerErrorsTest {
  @TempDir Path dir;

  @Test
  void missingModelFile() throws IOException {
    TinyRewardModel.write(dir);
    Files.delete(dir.resolve("model.onnx"));
    assertThatThrownBy(() -> DjlRewardScorer.builder().modelDirectory(dir).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no model file (*.onnx)")
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("optimum-cli export onnx");
  }

  @Test
  void namedModelFileMissing() {
    TinyRewardModel.write(dir);
    assertThatThrownBy(() -> DjlRewardScorer.builder().modelDirectory(dir)
        .modelFile("rm.onnx").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'rm.onnx' not found");
  }

  @Test
  void missingTokenizer() throws IOException {
    TinyRewardModel.write(dir);
    Files.delete(dir.resolve("tokenizer.json"));
    assertThatThrownBy(() -> DjlRewardScorer.builder().modelDirectory(dir).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no tokenizer.json in reward model directory '" + dir + "'")
        .hasMessageContaining("save_pretrained");
  }

  @Test
  void brokenModelFile() throws IOException {
    TinyRewardModel.write(dir);
    Files.writeString(dir.resolve("model.onnx"), "not an onnx graph");
    assertThatThrownBy(() -> DjlRewardScorer.builder().modelDirectory(dir).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("OnnxRuntime engine cannot load")
        .hasMessageContaining("model.onnx");
  }

  @Test
  void modelWithTwoLabelsIsRefused() {
    TinyRewardModel.write(dir, new TinyRewardModel.Spec(true, 16, 0, 64, 2));
    assertThatThrownBy(() -> DjlRewardScorer.builder().modelDirectory(dir).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("shape (1, 2) for 1 inputs")
        .hasMessageContaining("num_labels=1");
  }

  @Test
  void missingDirectory() {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> DjlRewardScorer.builder().modelDirectory(missing).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'" + missing + "' does not exist");
  }

  @Test
  void gpuThatIsNotThere() {
    TinyRewardModel.write(dir);
    // This machine has no GPU; on one with a single GPU, gpu:7 still fails the same way.
    assertThatThrownBy(() -> DjlRewardScorer.builder().modelDirectory(dir).device("gpu:7").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("device 'gpu:7' is not available")
        .hasMessageContaining("Use device cpu")
        .hasMessageContaining("onnxruntime_gpu");
  }

  @Test
  void malformedDevice() {
    TinyRewardModel.write(dir);
    assertThatThrownBy(() -> DjlRewardScorer.builder().modelDirectory(dir).device("tpu:0").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("device 'tpu:0' is not valid: use cpu, gpu");
  }

  @Test
  void pytorchWithoutATorchScriptFile() {
    TinyRewardModel.write(dir);
    assertThatThrownBy(() -> DjlRewardScorer.builder().modelDirectory(dir)
        .engine(RewardEngine.PYTORCH).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no model file (*.pt)")
        .hasMessageContaining("torch.jit.trace");
  }

  @Test
  void pytorchEngineWithoutItsNativeLibrary() throws IOException {
    // The default test class path has pytorch-engine and pytorch-jni (optional dependencies of
    // this module) but not the 110 MB pytorch-native-cpu, and DJL runs offline. Only the
    // "torchscript" surefire execution adds the natives.
    assumeTrue(DjlRewardScorerErrorsTest.class.getResource("/native/lib/pytorch.properties")
        == null, "PyTorch natives are on this class path");
    TinyRewardModel.write(dir);
    Files.write(dir.resolve("model.pt"), new byte[] {0});
    assertThatThrownBy(() -> DjlRewardScorer.builder().modelDirectory(dir)
        .engine(RewardEngine.PYTORCH).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("PyTorch engine could not load its native library")
        .hasMessageContaining("ai.djl.pytorch:pytorch-native-cpu:2.7.1")
        .hasMessageContaining("never downloads");
  }

  @Test
  void maxLengthAboveTheModelLimit() {
    TinyRewardModel.write(dir);
    assertThatThrownBy(() -> DjlRewardScorer.builder().modelDirectory(dir).maxLength(100).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("maxLength 100 exceeds")
        .hasMessageContaining("64 tokens");
  }

  @Test
  void invalidBuilderFields() {
    assertThatThrownBy(() -> DjlRewardScorer.builder().build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("modelDirectory");
    assertThatThrownBy(() -> DjlRewardScorer.builder().modelDirectory(dir).batchSize(0).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("batchSize")
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> DjlRewardScorer.builder().modelDirectory(dir).predictors(0).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("predictors");
    assertThatThrownBy(() -> DjlRewardScorer.builder().modelDirectory(dir).maxLength(2).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("maxLength");
  }
}
