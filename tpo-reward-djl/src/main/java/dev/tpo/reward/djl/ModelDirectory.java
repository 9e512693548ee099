package dev.tpo.reward.djl;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.tpo.core.error.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the scorer reads from a Hugging Face style model directory: the model file, {@code
 * tokenizer.json}, and from {@code config.json} / {@code tokenizer_config.json} the longest input
 * the model takes, the padding token id and the chat template's family. Immutable once inspected.
 */
final class ModelDirectory {
  static final int FALLBACK_MAX_LENGTH = 512;
  /** Hugging Face writes a huge number as model_max_length when it does not know the limit. */
  private static final double UNKNOWN_LENGTH = 1_000_000;

  private final Path dir;
  private final Path modelFile;
  private final Path tokenizerFile;
  private final OptionalInt modelMaxLength;
  private final Optional<Long> padTokenId;
  private final Optional<String> chatTemplate;

  private ModelDirectory(Path dir, Path modelFile, Path tokenizerFile, OptionalInt modelMaxLength,
      Optional<Long> padTokenId, Optional<String> chatTemplate) {
    this.dir = dir;
    this.modelFile = modelFile;
    this.tokenizerFile = tokenizerFile;
    this.modelMaxLength = modelMaxLength;
    this.padTokenId = padTokenId;
    this.chatTemplate = chatTemplate;
  }

  static ModelDirectory inspect(Path dir, RewardEngine engine, String modelFileName) {
    if (!Files.isDirectory(dir)) {
      throw new ConfigurationException("reward model directory '" + dir + "' "
          + (Files.exists(dir) ? "is a file, not a directory" : "does not exist")
          + ": give the directory that holds the exported model (model" + engine.fileExtension()
          + ") and tokenizer.json; see docs/reward-models.md");
    }
    Path model = findModelFile(dir, engine, modelFileName);
    Path tokenizer = dir.resolve("tokenizer.json");
    if (!Files.isRegularFile(tokenizer)) {
      throw new ConfigurationException("no tokenizer.json in reward model directory '" + dir
          + "': save the model's fast tokenizer there, for example with"
          + " AutoTokenizer.from_pretrained(MODEL).save_pretrained(DIR) in Python");
    }
    Optional<JsonObject> config = readJson(dir.resolve("config.json"));
    Optional<JsonObject> tokenizerConfig = readJson(dir.resolve("tokenizer_config.json"));
    OptionalInt maxPositions = intField(config, "max_position_embeddings");
    OptionalInt tokenizerMax = tokenizerConfig
        .map(c -> c.get("model_max_length"))
        .filter(e -> e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber())
        .map(JsonElement::getAsDouble)
        .filter(v -> v > 0 && v < UNKNOWN_LENGTH)
        .map(v -> OptionalInt.of(v.intValue()))
        .orElse(OptionalInt.empty());
    OptionalInt limit = min(maxPositions, tokenizerMax);
    Optional<Long> padId = longField(config, "pad_token_id");
    if (padId.isEmpty()) {
      padId = readJson(tokenizer)
          .map(t -> t.get("padding"))
          .filter(JsonElement::isJsonObject)
          .flatMap(p -> longField(Optional.of(p.getAsJsonObject()), "pad_id"));
    }
    Optional<String> template = tokenizerConfig
        .map(c -> c.get("chat_template"))
        .filter(e -> e != null && !e.isJsonNull())
        .map(JsonElement::toString);
    return new ModelDirectory(dir, model, tokenizer, limit, padId, template);
  }

  Path dir() {
    return dir;
  }

  Path modelFile() {
    return modelFile;
  }

  Path tokenizerFile() {
    return tokenizerFile;
  }

  /** The longest input the model itself takes, when its config files say. */
  OptionalInt modelMaxLength() {
    return modelMaxLength;
  }

  Optional<Long> padTokenId() {
    return padTokenId;
  }

  /**
   * The input format the directory's {@code tokenizer_config.json} implies: a Llama 3 or 3.1
   * template, or the pair format when there is no chat template.
   */
  InputFormat detectInputFormat() {
    if (chatTemplate.isEmpty()) {
      return InputFormat.pair();
    }
    String t = chatTemplate.get();
    if (t.contains("<|start_header_id|>")) {
      return InputFormat.chat(
          t.contains("Cutting Knowledge Date") ? ChatTemplate.LLAMA_3_1 : ChatTemplate.LLAMA_3);
    }
    throw new ConfigurationException("the chat template in " + dir.resolve("tokenizer_config.json")
        + " is not one this scorer knows (Llama 3, Llama 3.1): set the input format explicitly,"
        + " InputFormat.chat(ChatTemplate.of(...)) with the conversation as your model's template"
        + " renders it, or InputFormat.pair() for an encoder model");
  }

  private static Path findModelFile(Path dir, RewardEngine engine, String name) {
    if (name != null) {
      Path file = dir.resolve(name);
      if (!Files.isRegularFile(file)) {
        throw new ConfigurationException("model file '" + name + "' not found in '" + dir
            + "': check modelFile, or leave it unset to use the only *" + engine.fileExtension()
            + " file of the directory");
      }
      return file;
    }
    List<Path> candidates;
    try (Stream<Path> files = Files.list(dir)) {
      candidates = files
          .filter(p -> p.getFileName().toString().endsWith(engine.fileExtension()))
          .filter(Files::isRegularFile)
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new ConfigurationException("cannot list reward model directory '" + dir + "': "
          + e.getMessage(), e);
    }
    if (candidates.isEmpty()) {
      throw new ConfigurationException("no model file (*" + engine.fileExtension() + ") in '" + dir
          + "' for the " + engine.djlName() + " engine: export the model into it ("
          + (engine == RewardEngine.ONNX_RUNTIME ? "optimum-cli export onnx" : "torch.jit.trace")
          + ", see docs/reward-models.md), or pick the engine that matches the file you have");
    }
    if (candidates.size() > 1) {
      throw new ConfigurationException("several model files in '" + dir + "': "
          + candidates.stream().map(p -> p.getFileName().toString())
              .collect(Collectors.joining(", "))
          + "; set modelFile (or ?model=FILE in the spec) to pick one");
    }
    return candidates.get(0);
  }

  private static Optional<JsonObject> readJson(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonElement e = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
      return e.isJsonObject() ? Optional.of(e.getAsJsonObject()) : Optional.empty();
    } catch (IOException | JsonParseException e) {
      throw new ConfigurationException("cannot read '" + file + "' as JSON (" + e.getMessage()
          + "): restore the file from the model's export", e);
    }
  }

  private static OptionalInt intField(Optional<JsonObject> json, String field) {
    return longField(json, field)
        .map(v -> OptionalInt.of((int) Math.min(Integer.MAX_VALUE, v)))
        .orElse(OptionalInt.empty());
  }

  private static Optional<Long> longField(Optional<JsonObject> json, String field) {
    return json.map(j -> j.get(field))
        .filter(e -> e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber())
        .map(JsonElement::getAsLong);
  }

  private static OptionalInt min(OptionalInt a, OptionalInt b) {
    if (a.isPresent() && b.isPresent()) {
      return OptionalInt.of(Math.min(a.getAsInt(), b.getAsInt()));
    }
    return a.isPresent() ? a : b;
  }
}
