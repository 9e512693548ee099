package dev.tpo.llamacpp;

import de.kherud.llama.LlamaModel;
import dev.tpo.core.error.ConfigurationException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link LlamaCppModel}: validates the options, reads the GGUF header, checks that the KV
 * cache fits in memory, then loads the model into llama.cpp. Not thread-safe.
 */
public final class LlamaCppModelBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(LlamaCppModelBuilder.class);

  /** Default context per slot, the TPO loop's default context budget. */
  public static final int DEFAULT_CONTEXT_SIZE = 8192;

  /** Longest wait for llama.cpp's task loop thread to appear after loading, in milliseconds. */
  static final long LOOP_START_WAIT_MS = 2000;

  /** Time given to the task loop's first idle pass once its thread is there, in milliseconds. */
  static final long LOOP_IDLE_MS = 20;

  /** Default slots: the TPO loop's default N, so one sampling request runs in one batch. */
  public static final int DEFAULT_SLOTS = 5;

  private Path modelPath;
  private int contextSize = DEFAULT_CONTEXT_SIZE;
  private int slots = DEFAULT_SLOTS;
  private int threads = Cpus.physicalCores();
  private int gpuLayers = 0;
  private Path nativesPath;

  LlamaCppModelBuilder() {}

  /**
   * The GGUF file to load. Required.
   *
   * @param path the file
   * @return this builder
   */
  public LlamaCppModelBuilder modelPath(Path path) {
    this.modelPath = Objects.requireNonNull(path, "path");
    return this;
  }

  /**
   * Tokens of context per slot (prompt plus generated text of one sequence). Default {@value
   * #DEFAULT_CONTEXT_SIZE}; llama.cpp allocates {@code contextSize * slots} tokens of KV cache.
   *
   * @param tokens 16 or more
   * @return this builder
   */
  public LlamaCppModelBuilder contextSize(int tokens) {
    this.contextSize = tokens;
    return this;
  }

  /**
   * Sequences generated at once (llama.cpp's parallel slots). Requests for more choices, and
   * concurrent requests, queue for a free slot. Default {@value #DEFAULT_SLOTS}. With one slot on
   * the CPU, the same requests in the same order on a fresh instance repeat their texts exactly; with
   * several, sequences decoded together depend on timing (see {@link LlamaCppModel} on seeds).
   *
   * @param slots 1 to 256
   * @return this builder
   */
  public LlamaCppModelBuilder slots(int slots) {
    this.slots = slots;
    return this;
  }

  /**
   * CPU threads for llama.cpp's compute. Default: the physical cores.
   *
   * @param threads 1 or more
   * @return this builder
   */
  public LlamaCppModelBuilder threads(int threads) {
    this.threads = threads;
    return this;
  }

  /**
   * Layers to offload to the GPU; needs GPU natives (see {@link #nativesPath(Path)}). Default 0;
   * a large number such as 999 offloads every layer.
   *
   * @param layers 0 or more
   * @return this builder
   */
  public LlamaCppModelBuilder gpuLayers(int layers) {
    this.gpuLayers = layers;
    return this;
  }

  /**
   * A folder holding the binding's native library ({@code libjllama.so}, {@code libjllama.dylib}
   * or {@code jllama.dll}), for example a CUDA build; sets the binding's system property {@code
   * de.kherud.llama.lib.path}. Must be set before the first model of the process loads. Default:
   * the CPU natives inside the binding's jar.
   *
   * @param folder the folder
   * @return this builder
   */
  public LlamaCppModelBuilder nativesPath(Path folder) {
    this.nativesPath = folder;
    return this;
  }

  int contextSize() {
    return contextSize;
  }

  int slots() {
    return slots;
  }

  int threads() {
    return threads;
  }

  int gpuLayers() {
    return gpuLayers;
  }

  /**
   * Validates, checks the file and the memory, and loads the model.
   *
   * @return the loaded model; close it when the application stops
   * @throws ConfigurationException naming the value and the fix when an option is out of range,
   *     the file is missing, not GGUF, truncated or of an architecture the natives do not know, or
   *     the context does not fit in memory
   */
  public LlamaCppModel build() {
    if (modelPath == null) {
      throw new ConfigurationException(
          "LlamaCppModel.modelPath is not set: give the .gguf file to load");
    }
    if (contextSize < 16) {
      throw new ConfigurationException(
          "LlamaCppModel.contextSize must be at least 16 tokens, got " + contextSize);
    }
    if (slots < 1 || slots > 256) {
      throw new ConfigurationException("LlamaCppModel.slots must be 1 to 256, got " + slots);
    }
    if (threads < 1) {
      throw new ConfigurationException("LlamaCppModel.threads must be at least 1, got " + threads);
    }
    if (gpuLayers < 0) {
      throw new ConfigurationException(
          "LlamaCppModel.gpuLayers must be 0 or more, got " + gpuLayers);
    }
    long total = (long) contextSize * slots;
    if (total > Integer.MAX_VALUE) {
      throw new ConfigurationException(
          "LlamaCppModel.contextSize " + contextSize + " x slots " + slots + " = " + total
              + " tokens is more than llama.cpp can address: lower contextSize or slots");
    }
    GgufInfo info = GgufInfo.read(modelPath);
    checkMemory(info, total);
    Natives.init(nativesPath);
    LlamaModel llama;
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    try {
      llama = new LlamaModel(LlamaCppModel.nativeParameters(this, modelPath));
    } catch (RuntimeException e) {
      throw new ConfigurationException(
          "llama.cpp could not load " + modelPath + " (architecture '" + info.architecture()
              + "', GGUF v" + info.version() + ", context " + total + " tokens): the bundled natives"
              + " (llama.cpp b4916) may not support the architecture '" + info.architecture()
              + "' (use a model of a supported one such as llama, qwen2, phi3 or gemma2), or the"
              + " file is damaged, or memory ran out (lower contextSize or slots). Native error: "
              + e.getMessage(),
          e);
    } finally {
      Natives.routeLogs();
    }
    if (!info.hasChatTemplate()) {
      LOG.warn(
          "{} stores no chat template; llama.cpp falls back to ChatML, which may not be what the"
              + " model was trained on",
          modelPath);
    }
    awaitTaskLoop(before);
    return new LlamaCppModel(this, info, llama);
  }

  /**
   * Waits until llama.cpp's task loop has started and gone idle once, before the first request.
   *
   * <p>The bundled server code (b4916, as the binding runs it) clears the whole KV cache the first
   * time its loop finds every slot idle, but keeps each slot's record of the tokens it cached. When
   * that first idle moment comes after a request rather than at start-up (the first request was
   * posted before the loop thread ran), later requests on that slot take the prompt prefix they
   * share with the cleared one as cached although its keys and values are gone, and generate from a
   * prompt missing that prefix: other texts, for the rest of the instance's life. The loop thread
   * attaches itself to the JVM and then at once looks at its (empty) queue, updates the idle slots
   * and clears the empty cache; so the model is handed out only once a new thread has appeared and
   * a moment has passed. Bounded: at most {@link #LOOP_START_WAIT_MS} plus {@link #LOOP_IDLE_MS}.
   */
  private static void awaitTaskLoop(Set<Thread> before) {
    long deadline = System.nanoTime() + LOOP_START_WAIT_MS * 1_000_000L;
    try {
      while (System.nanoTime() < deadline) {
        Set<Thread> now = new HashSet<>(Thread.getAllStackTraces().keySet());
        now.removeAll(before);
        if (!now.isEmpty()) {
          break;
        }
        Thread.sleep(1);
      }
      Thread.sleep(LOOP_IDLE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void checkMemory(GgufInfo info, long totalContext) {
    long kv = info.kvCacheBytes(totalContext);
    long weights = gpuLayers > 0 ? 0 : info.fileSize();
    long physical = physicalMemory();
    if (physical > 0 && kv + weights > physical) {
      throw new ConfigurationException(
          String.format(
              Locale.ROOT,
              "LlamaCppModel.contextSize %d x %d slots needs about %.1f GiB of KV cache plus %.1f GiB"
                  + " of weights for %s, but this machine has %.1f GiB of memory: lower contextSize"
                  + " (the model was trained for %d tokens) or slots",
              contextSize,
              slots,
              kv / 1073741824.0,
              weights / 1073741824.0,
              info.path(),
              physical / 1073741824.0,
              info.contextLength()));
    }
  }

  private static long physicalMemory() {
    try {
      java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
      if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
        return sun.getTotalMemorySize();
      }
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("cannot read the machine's memory size", e);
    }
    return -1;
  }
}
