package dev.tpo.reward.djl;

import dev.tpo.core.error.ConfigurationException;
import java.util.Locale;

/**
 * The DJL engine that runs the reward model, with the Maven artifacts each one needs. The scorer
 * always names its engine explicitly; it never takes DJL's default engine.
 *
 * <p>Immutable enum; thread-safe.
 */
public enum RewardEngine {
  /**
   * ONNX Runtime, for {@code *.onnx} exports (the default). Ships with this module: {@code
   * ai.djl.onnxruntime:onnxruntime-engine} and the CPU natives in {@code
   * com.microsoft.onnxruntime:onnxruntime}.
   */
  ONNX_RUNTIME(
      "OnnxRuntime",
      ".onnx",
      "ai.djl.onnxruntime:onnxruntime-engine (same version as ai.djl:api)",
      "com.microsoft.onnxruntime:onnxruntime (CPU), which onnxruntime-engine brings",
      "com.microsoft.onnxruntime:onnxruntime_gpu in place of com.microsoft.onnxruntime:onnxruntime,"
          + " plus a CUDA driver and cuDNN matching it"),

  /**
   * PyTorch, for TorchScript {@code *.pt} files. Optional: add {@code
   * ai.djl.pytorch:pytorch-engine:0.35.1}, {@code ai.djl.pytorch:pytorch-jni:2.7.1-0.35.1} and the
   * native {@code ai.djl.pytorch:pytorch-native-cpu:2.7.1} (classifier {@code linux-x86_64}).
   */
  PYTORCH(
      "PyTorch",
      ".pt",
      "ai.djl.pytorch:pytorch-engine:0.35.1 and ai.djl.pytorch:pytorch-jni:2.7.1-0.35.1",
      "ai.djl.pytorch:pytorch-native-cpu:2.7.1 with classifier linux-x86_64 (or a CUDA build"
          + " ai.djl.pytorch:pytorch-native-cuXXX of the same PyTorch version)",
      "a CUDA build of the PyTorch natives, ai.djl.pytorch:pytorch-native-cuXXX:2.7.1 (classifier"
          + " linux-x86_64) in place of pytorch-native-cpu, plus a matching CUDA driver");

  private final String djlName;
  private final String fileExtension;
  private final String engineArtifacts;
  private final String nativeArtifacts;
  private final String gpuArtifacts;

  RewardEngine(String djlName, String fileExtension, String engineArtifacts,
      String nativeArtifacts, String gpuArtifacts) {
    this.djlName = djlName;
    this.fileExtension = fileExtension;
    this.engineArtifacts = engineArtifacts;
    this.nativeArtifacts = nativeArtifacts;
    this.gpuArtifacts = gpuArtifacts;
  }

  /**
   * The engine's name in DJL, as passed to {@code Engine.getEngine}.
   *
   * @return for example {@code "OnnxRuntime"}
   */
  public String djlName() {
    return djlName;
  }

  /**
   * The extension of the model files this engine loads.
   *
   * @return {@code ".onnx"} or {@code ".pt"}
   */
  public String fileExtension() {
    return fileExtension;
  }

  /**
   * The Maven artifacts that provide the engine itself, for error messages.
   *
   * @return a human-readable list of coordinates
   */
  public String engineArtifacts() {
    return engineArtifacts;
  }

  /**
   * The Maven artifacts that carry the engine's native libraries, for error messages.
   *
   * @return a human-readable list of coordinates
   */
  public String nativeArtifacts() {
    return nativeArtifacts;
  }

  /**
   * What to add for GPU inference, for error messages.
   *
   * @return a human-readable hint
   */
  public String gpuArtifacts() {
    return gpuArtifacts;
  }

  /**
   * Parses an engine name as written in a reward spec.
   *
   * @param text {@code onnx}, {@code onnxruntime}, {@code ort}, {@code pytorch}, {@code torch} or
   *     {@code torchscript}, any case
   * @return the engine
   * @throws ConfigurationException when the name is unknown
   */
  public static RewardEngine parse(String text) {
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "onnx":
      case "onnxruntime":
      case "onnx_runtime":
      case "ort":
        return ONNX_RUNTIME;
      case "pytorch":
      case "torch":
      case "torchscript":
        return PYTORCH;
      default:
        throw new ConfigurationException(
            "engine '" + text + "' is not known: use onnx (ONNX Runtime, the default) or pytorch"
                + " (TorchScript)");
    }
  }
}
