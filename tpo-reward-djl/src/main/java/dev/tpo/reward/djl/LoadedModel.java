package dev.tpo.reward.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.PairList;
import ai.djl.util.StringPair;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.TpoException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything one scorer loaded: tokenizer, model, predictors (each with the {@link RewardTranslator}) and the encoder
 * built on them. Loading is all-or-nothing: on any failure whatever was opened is closed again.
 * Immutable after loading; closing is the owner's job ({@link DjlRewardScorer#close()}).
 */
final class LoadedModel implements AutoCloseable {

  /** The validated builder settings that loading needs. */
  record Settings(Path directory, RewardEngine engine, String device, String modelFile,
      InputFormat format, Integer maxLength, TruncationSide truncationSide, int predictors,
      List<String> inputNames, Map<String, String> engineOptions) {}

  private final ModelDirectory directory;
  private final RewardEngine engine;
  private final Device device;
  private final InputFormat format;
  private final TruncationSide truncationSide;
  private final HuggingFaceTokenizer tokenizer;
  private final Model model;
  private final List<Predictor<StringPair, Double>> predictors;
  private final InputEncoder encoder;
  private final String description;

  private LoadedModel(ModelDirectory directory, RewardEngine engine, Device device,
      InputFormat format, TruncationSide truncationSide, HuggingFaceTokenizer tokenizer,
      Model model, List<Predictor<StringPair, Double>> predictors, InputEncoder encoder,
      String description) {
    this.directory = directory;
    this.engine = engine;
    this.device = device;
    this.format = format;
    this.truncationSide = truncationSide;
    this.tokenizer = tokenizer;
    this.model = model;
    this.predictors = List.copyOf(predictors);
    this.encoder = encoder;
    this.description = description;
  }

  static LoadedModel load(Settings s) {
    DjlRuntime.ensureOffline();
    ModelDirectory dir = ModelDirectory.inspect(s.directory(), s.engine(), s.modelFile());
    int maxLength = resolveMaxLength(s.maxLength(), dir);
    InputFormat format = s.format() != null ? s.format() : dir.detectInputFormat();
    DjlRuntime.engine(s.engine());
    Device device = DjlRuntime.device(s.device(), s.engine());
    HuggingFaceTokenizer tokenizer = null;
    Model model = null;
    List<Predictor<StringPair, Double>> predictors = new ArrayList<>();
    try {
      tokenizer = openTokenizer(dir);
      model = openModel(dir, s.engine(), device, s.engineOptions());
      String description = "'" + dir.modelFile() + "'";
      List<String> inputNames = s.inputNames() != null ? s.inputNames() : inputNames(model);
      InputEncoder encoder = new InputEncoder(tokenizer, format, maxLength, s.truncationSide());
      RewardTranslator translator = new RewardTranslator(encoder, inputNames,
          dir.padTokenId().orElse(0L), description);
      for (int i = 0; i < s.predictors(); i++) {
        predictors.add(model.newPredictor(translator));
      }
      LoadedModel loaded = new LoadedModel(dir, s.engine(), device, format, s.truncationSide(),
          tokenizer, model, predictors, encoder, description);
      probe(loaded, description);
      return loaded;
    } catch (RuntimeException | Error e) {
      predictors.forEach(Predictor::close);
      if (model != null) {
        model.close();
      }
      if (tokenizer != null) {
        tokenizer.close();
      }
      throw e;
    }
  }

  ModelDirectory directory() {
    return directory;
  }

  RewardEngine engine() {
    return engine;
  }

  Device device() {
    return device;
  }

  InputFormat format() {
    return format;
  }

  TruncationSide truncationSide() {
    return truncationSide;
  }

  List<Predictor<StringPair, Double>> predictors() {
    return predictors;
  }

  InputEncoder encoder() {
    return encoder;
  }

  String description() {
    return description;
  }

  @Override
  public void close() {
    predictors.forEach(Predictor::close);
    model.close();
    tokenizer.close();
  }

  private static int resolveMaxLength(Integer requested, ModelDirectory dir) {
    if (requested == null) {
      return dir.modelMaxLength().orElse(ModelDirectory.FALLBACK_MAX_LENGTH);
    }
    if (dir.modelMaxLength().isPresent() && requested > dir.modelMaxLength().getAsInt()) {
      throw new ConfigurationException("maxLength " + requested + " exceeds what the model in '"
          + dir.dir() + "' takes (" + dir.modelMaxLength().getAsInt() + " tokens, from its"
          + " config.json / tokenizer_config.json): longer inputs would overflow its position"
          + " table. Use at most " + dir.modelMaxLength().getAsInt() + ", or leave it unset");
    }
    return requested;
  }

  static HuggingFaceTokenizer openTokenizer(ModelDirectory dir) {
    try {
      // The model's own truncation and padding settings are switched off: the encoder truncates
      // (keeping special tokens) and the translator's batchifier pads.
      return HuggingFaceTokenizer.builder()
          .optTokenizerPath(dir.tokenizerFile())
          .optAddSpecialTokens(true)
          .optTruncation(false)
          .optPadding(false)
          .build();
    } catch (IOException | RuntimeException e) {
      throw new ConfigurationException("cannot load '" + dir.tokenizerFile() + "' with DJL's"
          + " Hugging Face tokenizer (" + e.getMessage() + "): it must be a fast-tokenizer"
          + " tokenizer.json; its native library comes with ai.djl.huggingface:tokenizers", e);
    } catch (UnsatisfiedLinkError e) {
      throw new ConfigurationException("the Hugging Face tokenizers native library did not load ("
          + e.getMessage() + "): keep ai.djl.huggingface:tokenizers (same version as ai.djl:api)"
          + " on the class path", e);
    }
  }

  private static Model openModel(ModelDirectory dir, RewardEngine engine, Device device,
      Map<String, String> options) {
    String file = dir.modelFile().getFileName().toString();
    String prefix = file.substring(0, file.length() - engine.fileExtension().length());
    Model model = Model.newInstance(prefix, device, engine.djlName());
    try {
      model.load(dir.dir(), prefix, options);
      return model;
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw new ConfigurationException("the " + engine.djlName() + " engine cannot load '"
          + dir.modelFile() + "' on " + device + " (" + e.getMessage() + "): check that the file"
          + " is a complete " + (engine == RewardEngine.ONNX_RUNTIME ? "ONNX" : "TorchScript")
          + " export (see docs/reward-models.md)", e);
    }
  }

  private static List<String> inputNames(Model model) {
    PairList<String, Shape> described = model.describeInput();
    if (described == null || described.isEmpty() || described.keys().stream()
        .anyMatch(n -> n == null || n.isEmpty())) {
      return List.of("input_ids", "attention_mask");
    }
    return described.keys();
  }

  /** Runs one tiny input so a model with the wrong output shape fails at build time. */
  private static void probe(LoadedModel loaded, String description) {
    try {
      RewardTranslator.score(loaded.predictors.get(0), List.of(new StringPair("", "")),
          description);
    } catch (TpoException e) {
      throw new ConfigurationException("the reward model " + description + " failed its first"
          + " test input: " + e.getMessage(), e);
    }
  }
}
