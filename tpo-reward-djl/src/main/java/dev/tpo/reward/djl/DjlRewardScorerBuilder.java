package dev.tpo.reward.djl;

import dev.tpo.core.error.ConfigurationException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link DjlRewardScorer}: set {@link #modelDirectory(Path)}, the rest has defaults.
 * {@link #build()} validates every field, then loads the tokenizer and the model.
 *
 * <p>Not thread-safe; use one builder per thread.
 */
public final class DjlRewardScorerBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(DjlRewardScorer.class);

  private Path modelDirectory;
  private RewardEngine engine = RewardEngine.ONNX_RUNTIME;
  private String device = "cpu";
  private String modelFile;
  private InputFormat inputFormat;
  private Integer maxLength;
  private TruncationSide truncationSide = TruncationSide.RIGHT;
  private int batchSize = 8;
  private int predictors = 2;
  private List<String> inputNames;
  private Map<String, String> engineOptions = Map.of();
  private String name;

  DjlRewardScorerBuilder() {}

  /**
   * The local directory holding the model file, {@code tokenizer.json} and, ideally, {@code
   * config.json} and {@code tokenizer_config.json}. Required.
   *
   * @param dir the directory
   * @return this builder
   */
  public DjlRewardScorerBuilder modelDirectory(Path dir) {
    this.modelDirectory = dir;
    return this;
  }

  /**
   * The engine. Defaults to {@link RewardEngine#ONNX_RUNTIME}.
   *
   * @param engine the engine
   * @return this builder
   */
  public DjlRewardScorerBuilder engine(RewardEngine engine) {
    this.engine = engine;
    return this;
  }

  /**
   * The device: {@code cpu}, {@code gpu} (the first GPU) or {@code gpu:N}. Defaults to {@code
   * cpu}. A GPU needs the engine's GPU natives (see {@link RewardEngine#gpuArtifacts()}).
   *
   * @param device the device
   * @return this builder
   */
  public DjlRewardScorerBuilder device(String device) {
    this.device = device;
    return this;
  }

  /**
   * The model file's name inside the directory. Defaults to the only file with the engine's
   * extension ({@code *.onnx} or {@code *.pt}).
   *
   * @param fileName the file name, for example {@code model.onnx}
   * @return this builder
   */
  public DjlRewardScorerBuilder modelFile(String fileName) {
    this.modelFile = fileName;
    return this;
  }

  /**
   * How (prompt, response) becomes the model input. Defaults to what the directory's {@code
   * tokenizer_config.json} implies: its Llama 3 / 3.1 chat template as {@link
   * ChatTemplate#LLAMA_3} / {@link ChatTemplate#LLAMA_3_1}, the {@link InputFormat#pair() pair}
   * format when it has no chat template, and an error asking for an explicit format otherwise.
   *
   * @param format the format
   * @return this builder
   */
  public DjlRewardScorerBuilder inputFormat(InputFormat format) {
    this.inputFormat = format;
    return this;
  }

  /**
   * The longest input in tokens, special tokens included; longer inputs are truncated. Defaults
   * to the model's own limit: the smaller of {@code max_position_embeddings} in {@code
   * config.json} and {@code model_max_length} in {@code tokenizer_config.json}, or 512 when
   * neither says. A value above the model's limit is rejected by {@link #build()}.
   *
   * @param tokens at least 8
   * @return this builder
   */
  public DjlRewardScorerBuilder maxLength(int tokens) {
    this.maxLength = tokens;
    return this;
  }

  /**
   * Which end of an over-long input to cut. Defaults to {@link TruncationSide#RIGHT}: keep the
   * prompt and the start of the response, as Hugging Face tokenizers do by default.
   *
   * @param side the side
   * @return this builder
   */
  public DjlRewardScorerBuilder truncationSide(TruncationSide side) {
    this.truncationSide = side;
    return this;
  }

  /**
   * How many inputs go through the model at once. Defaults to 8, for a GPU; on a CPU 1 to 4 score
   * as fast or faster, as padding to the longest input of a batch costs what batching saves
   * (docs/benchmarks.md).
   *
   * @param size at least 1
   * @return this builder
   */
  public DjlRewardScorerBuilder batchSize(int size) {
    this.batchSize = size;
    return this;
  }

  /**
   * How many predictors the pool holds, that is how many calls can run at the same time; more
   * callers wait. Defaults to 2. On one GPU, 1 or 2 is enough; on a CPU each predictor already
   * uses several cores.
   *
   * @param count at least 1
   * @return this builder
   */
  public DjlRewardScorerBuilder predictors(int count) {
    this.predictors = count;
    return this;
  }

  /**
   * The model's input names, in the order the model takes them; each one of {@code input_ids},
   * {@code attention_mask}, {@code token_type_ids}, {@code position_ids}. Defaults to the names
   * the model declares (ONNX does), else {@code input_ids, attention_mask} (TorchScript).
   *
   * @param names the names
   * @return this builder
   */
  public DjlRewardScorerBuilder inputNames(List<String> names) {
    this.inputNames = names == null ? null : List.copyOf(names);
    return this;
  }

  /**
   * Options passed to the engine when the model loads (DJL's {@code Model.load} options). For
   * ONNX Runtime, for example {@code intraOpNumThreads}, {@code interOpNumThreads}, {@code
   * optLevel} or {@code executionMode}; see DJL's ONNX Runtime engine documentation. Defaults
   * to none (the engine's defaults).
   *
   * @param options option names to values; copied
   * @return this builder
   */
  public DjlRewardScorerBuilder engineOptions(Map<String, String> options) {
    this.engineOptions = options == null ? null : Map.copyOf(options);
    return this;
  }

  /**
   * The scorer's name in messages and traces. Defaults to {@code djl:} plus the directory name.
   *
   * @param name the name
   * @return this builder
   */
  public DjlRewardScorerBuilder name(String name) {
    this.name = name;
    return this;
  }

  /**
   * Validates the settings and loads the tokenizer and the model, then scores one tiny input to
   * check the model's output.
   *
   * @return a ready scorer; close it when done
   * @throws ConfigurationException naming the field or file and the fix, when a setting is
   *     invalid, a file is missing, or an engine, native library or device is not available
   */
  public DjlRewardScorer build() {
    if (modelDirectory == null) {
      throw new ConfigurationException("modelDirectory is required: the directory holding the"
          + " exported reward model and its tokenizer.json");
    }
    if (engine == null) {
      throw new ConfigurationException("engine must not be null: use ONNX_RUNTIME or PYTORCH");
    }
    if (device == null || device.isBlank()) {
      throw new ConfigurationException("device must be cpu, gpu or gpu:N, got '" + device + "'");
    }
    if (truncationSide == null) {
      throw new ConfigurationException("truncationSide must not be null: use RIGHT or LEFT");
    }
    if (maxLength != null && maxLength < 8) {
      throw new ConfigurationException("maxLength must be at least 8 tokens, got " + maxLength);
    }
    if (batchSize < 1) {
      throw new ConfigurationException("batchSize must be at least 1, got " + batchSize);
    }
    if (predictors < 1) {
      throw new ConfigurationException("predictors must be at least 1, got " + predictors);
    }
    if (engineOptions == null) {
      throw new ConfigurationException("engineOptions must not be null: pass an empty map");
    }
    if (name != null && name.isBlank()) {
      throw new ConfigurationException("name must not be blank");
    }
    LoadedModel loaded = LoadedModel.load(new LoadedModel.Settings(modelDirectory, engine,
        device, modelFile, inputFormat, maxLength, truncationSide, predictors, inputNames,
        engineOptions));
    Path fileName = modelDirectory.toAbsolutePath().normalize().getFileName();
    String scorerName = name != null ? name : "djl:" + (fileName == null ? "/" : fileName);
    DjlRewardScorer scorer = new DjlRewardScorer(loaded, batchSize, scorerName);
    LOG.info("loaded reward model: {}", scorer);
    return scorer;
  }
}
