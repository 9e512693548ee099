package dev.tpo.reward.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.tpo.core.error.ConfigurationException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where this module meets DJL's process-wide state: the offline switches, engine lookup by name
 * (never DJL's default engine) with errors naming the Maven artifact to add, and device parsing.
 * Stateless apart from the two system properties it sets; thread-safe.
 */
final class DjlRuntime {
  private static final Pattern GPU = Pattern.compile("gpu(?::(\\d+))?");

  private DjlRuntime() {}

  /**
   * Makes DJL run offline: no model or native download, no usage tracking. Sets {@code
   * ai.djl.offline} and {@code OPT_OUT_TRACKING} to {@code true} unless the application already
   * set them. Also sets {@code ai.djl.onnx.disable_alternative} (unless set): otherwise ONNX
   * Runtime's first array manager loads a second engine (PyTorch when it is on the class path,
   * else DJL's default) for operations it lacks, and a PyTorch engine without its natives then
   * breaks the ONNX path too. The scorer needs no such operation.
   */
  static void ensureOffline() {
    setIfAbsent("ai.djl.offline", "true");
    setIfAbsent("OPT_OUT_TRACKING", "true");
    setIfAbsent("ai.djl.onnx.disable_alternative", "true");
  }

  /** The engine by its DJL name, with its native library loaded. */
  static Engine engine(RewardEngine engine) {
    ensureOffline();
    if (!Engine.hasEngine(engine.djlName())) {
      throw new ConfigurationException("the " + engine.djlName() + " engine (" + engine
          + ") is not on the class path: add " + engine.engineArtifacts()
          + " to your dependencies, or pick another engine");
    }
    try {
      return Engine.getEngine(engine.djlName());
    } catch (RuntimeException | LinkageError e) {
      // LinkageError: a native library (UnsatisfiedLinkError) or the Java half of the native
      // artifact (NoClassDefFoundError, e.g. ai.onnxruntime.*) is missing.
      throw new ConfigurationException("the " + engine.djlName() + " engine could not load its"
          + " native library (" + rootMessage(e) + "): add " + engine.nativeArtifacts()
          + " to your dependencies. The scorer runs offline and never downloads native libraries",
          e);
    }
  }

  /** Parses {@code cpu}, {@code gpu} or {@code gpu:N} and checks that the engine sees that GPU. */
  static Device device(String spec, RewardEngine engine) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("cpu")) {
      return Device.cpu();
    }
    Matcher m = GPU.matcher(s);
    if (!m.matches()) {
      throw new ConfigurationException("device '" + spec + "' is not valid: use cpu, gpu (the"
          + " first GPU) or gpu:N");
    }
    int index = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
    int count = engine(engine).getGpuCount();
    if (index >= count) {
      throw new ConfigurationException("device '" + spec + "' is not available: the "
          + engine.djlName() + " engine sees " + count + " GPU" + (count == 1 ? "" : "s")
          + ". Use device cpu, pick an index below " + Math.max(count, 1) + ", or for GPU"
          + " inference add " + engine.gpuArtifacts());
    }
    return Device.gpu(index);
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
