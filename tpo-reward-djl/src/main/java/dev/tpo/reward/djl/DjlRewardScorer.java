package dev.tpo.reward.djl;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.RewardScoringException;
import dev.tpo.core.reward.RewardScorer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RewardScorer} that runs a Hugging Face sequence-classification reward model in this JVM
 * through DJL: ONNX through ONNX Runtime by default, TorchScript through PyTorch as the
 * alternative, on the CPU or a GPU. The score of a response is the raw logit of the model's single
 * output (no sigmoid).
 *
 * <p>Input formatting follows the TPO reference: decoder reward models see their chat template over
 * [user: prompt, assistant: response] with no generation prompt and without a doubled BOS; encoder
 * models see the (prompt, response) text pair. Inputs longer than {@link #maxLength()} tokens are
 * truncated (see {@link Builder#truncationSide}), never rejected. All responses of one call are
 * scored in batches of {@link #batchSize()} (inputs of similar length together, to pad less),
 * right-padded with the model's pad token and an attention mask, so batched scores equal
 * one-by-one scores within float tolerance; scores come back in input order.
 *
 * <p>Fully offline: loading sets {@code ai.djl.offline} and {@code OPT_OUT_TRACKING} to {@code
 * true} unless the application set them already, reads only the local directory, and takes native
 * libraries from Maven artifacts; a missing one is named in the error.
 *
 * <p>Thread-safe, through a pool of predictors: {@link Builder#predictors(int)} calls run at the
 * same time, further callers wait for a free predictor. Create one scorer per model, share it
 * across TPO runs, and {@link #close()} it when done.
 *
 * <pre>{@code
 * try (DjlRewardScorer scorer = DjlRewardScorer.builder()
 *     .modelDirectory(Path.of("/models/rm")).device("gpu:0").build()) {
 *   List<Double> scores = scorer.score(prompt, candidates);
 * }
 * }</pre>
 */
public final class DjlRewardScorer implements RewardScorer, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DjlRewardScorer.class);

  private final LoadedModel loaded;
  private final BlockingQueue<Predictor<NDList, NDList>> pool;
  private final int batchSize;
  private final String name;
  private final AtomicBoolean closed = new AtomicBoolean();

  DjlRewardScorer(LoadedModel loaded, int batchSize, String name) {
    this.loaded = loaded;
    this.batchSize = batchSize;
    this.name = name;
    this.pool = new ArrayBlockingQueue<>(loaded.predictors().size());
    this.pool.addAll(loaded.predictors());
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Scores every response to the prompt, in batches of {@link #batchSize()}.
   *
   * @param prompt the user's query
   * @param responses the candidates; empty ones are fine
   * @return one raw logit per response, in input order
   * @throws RewardScoringException when the model fails or the scorer is closed
   */
  @Override
  public List<Double> score(String prompt, List<String> responses) {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(responses, "responses");
    ensureOpen();
    if (responses.isEmpty()) {
      return List.of();
    }
    List<InputEncoder.Encoded> encoded = new ArrayList<>(responses.size());
    int truncated = 0;
    for (int i = 0; i < responses.size(); i++) {
      String response = responses.get(i);
      if (response == null) {
        throw new NullPointerException("responses[" + i + "] is null");
      }
      InputEncoder.Encoded e = loaded.encoder().encode(prompt, response);
      truncated += e.truncated() ? 1 : 0;
      encoded.add(e);
    }
    if (truncated > 0) {
      LOG.debug("{}: truncated {} of {} inputs to {} tokens ({} side)", name, truncated,
          encoded.size(), loaded.encoder().maxLength(), loaded.truncationSide());
    }
    Predictor<NDList, NDList> predictor = acquire();
    try {
      return loaded.runner().runAll(predictor, encoded, batchSize);
    } finally {
      pool.add(predictor);
    }
  }

  /**
   * The longest input in tokens; longer ones are truncated.
   *
   * @return the maximum length
   */
  public int maxLength() {
    return loaded.encoder().maxLength();
  }

  /**
   * How many inputs go through the model at once.
   *
   * @return the batch size
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * The input format in use (given, or detected from the model directory).
   *
   * @return the format
   */
  public InputFormat inputFormat() {
    return loaded.format();
  }

  /**
   * The directory the model was loaded from.
   *
   * @return the directory
   */
  public Path modelDirectory() {
    return loaded.directory().dir();
  }

  /**
   * The rendered chat text for a pair, exactly as it is tokenized (a BOS that the tokenizer adds
   * itself already removed). Useful to check a custom {@link ChatTemplate}.
   *
   * @param prompt the prompt
   * @param response the response
   * @return the text, or empty for the pair format
   */
  public Optional<String> renderedInput(String prompt, String response) {
    return loaded.format().isPair()
        ? Optional.empty()
        : Optional.of(loaded.encoder().renderChat(prompt, response));
  }

  /**
   * The name given to the builder, by default {@code djl:} and the directory name.
   *
   * @return the name
   */
  @Override
  public String name() {
    return name;
  }

  /**
   * Waits for calls in progress, then releases the predictors, the model and the tokenizer.
   * Idempotent; later calls to {@link #score} fail.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<Predictor<NDList, NDList>> returned = new ArrayList<>();
    boolean interrupted = false;
    while (returned.size() < loaded.predictors().size()) {
      try {
        Predictor<NDList, NDList> p = pool.poll(100, TimeUnit.MILLISECONDS);
        if (p != null) {
          returned.add(p);
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    loaded.close();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "DjlRewardScorer[" + name + ", dir=" + loaded.directory().dir() + ", engine="
        + loaded.engine() + ", device=" + loaded.device() + ", format=" + loaded.format()
        + ", maxLength=" + maxLength() + ", batchSize=" + batchSize + "]";
  }

  private Predictor<NDList, NDList> acquire() {
    try {
      while (true) {
        Predictor<NDList, NDList> p = pool.poll(100, TimeUnit.MILLISECONDS);
        if (closed.get()) {
          if (p != null) {
            pool.add(p);
          }
          throw closedError();
        }
        if (p != null) {
          return p;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RewardScoringException("interrupted while waiting for a free predictor of "
          + name, e);
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw closedError();
    }
  }

  private RewardScoringException closedError() {
    return new RewardScoringException("reward scorer " + name + " is closed: build a new"
        + " DjlRewardScorer, and close it only after the last TPO run that uses it");
  }

  /**
   * Builds a {@link DjlRewardScorer}: set {@link #modelDirectory(Path)}, the rest has defaults.
   * {@link #build()} validates every field, then loads the tokenizer and the model.
   *
   * <p>Not thread-safe; use one builder per thread.
   */
  public static final class Builder {
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

    private Builder() {}

    /**
     * The local directory holding the model file, {@code tokenizer.json} and, ideally, {@code
     * config.json} and {@code tokenizer_config.json}. Required.
     *
     * @param dir the directory
     * @return this builder
     */
    public Builder modelDirectory(Path dir) {
      this.modelDirectory = dir;
      return this;
    }

    /**
     * The engine. Defaults to {@link RewardEngine#ONNX_RUNTIME}.
     *
     * @param engine the engine
     * @return this builder
     */
    public Builder engine(RewardEngine engine) {
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
    public Builder device(String device) {
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
    public Builder modelFile(String fileName) {
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
    public Builder inputFormat(InputFormat format) {
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
    public Builder maxLength(int tokens) {
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
    public Builder truncationSide(TruncationSide side) {
      this.truncationSide = side;
      return this;
    }

    /**
     * How many inputs go through the model at once. Defaults to 8.
     *
     * @param size at least 1
     * @return this builder
     */
    public Builder batchSize(int size) {
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
    public Builder predictors(int count) {
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
    public Builder inputNames(List<String> names) {
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
    public Builder engineOptions(Map<String, String> options) {
      this.engineOptions = options == null ? null : Map.copyOf(options);
      return this;
    }

    /**
     * The scorer's name in messages and traces. Defaults to {@code djl:} plus the directory name.
     *
     * @param name the name
     * @return this builder
     */
    public Builder name(String name) {
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
}
