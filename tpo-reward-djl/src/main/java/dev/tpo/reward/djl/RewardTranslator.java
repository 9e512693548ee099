package dev.tpo.reward.djl;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import ai.djl.util.StringPair;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.RewardScoringException;
import dev.tpo.core.error.TpoException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DJL's {@link Translator} for a reward model, with its {@link Batchifier} (DJL's idiom, as its
 * {@code CrossEncoderTranslator}): {@link #processInput} encodes one (prompt, response) pair with
 * the {@link InputEncoder} into the int64 inputs the model declares ({@code input_ids}, {@code
 * attention_mask}, and {@code token_type_ids} / {@code position_ids} when asked); the batchifier
 * right-pads them to the longest input of the batch (the model's pad id, mask 0) and stacks them
 * into {@code [batch, length]} arrays, in plain Java because ONNX Runtime's arrays have no pad or
 * stack operation; {@link #processOutput} reads the single logit of its row. {@code
 * Predictor.batchPredict} runs the three in turn.
 *
 * <p>Thread-safe: immutable; DJL gives each call its own context and memory manager.
 */
final class RewardTranslator implements Translator<StringPair, Double> {
  private static final Logger LOG = LoggerFactory.getLogger(RewardTranslator.class);

  /** The model inputs this translator fills. */
  enum ModelInput {
    INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS, POSITION_IDS;

    String onnxName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static ModelInput of(String name, String modelDescription) {
      for (ModelInput i : values()) {
        if (i.onnxName().equals(name)) {
          return i;
        }
      }
      throw new ConfigurationException("the reward model " + modelDescription + " has an input '"
          + name + "' this scorer cannot fill: it fills "
          + Arrays.stream(values()).map(ModelInput::onnxName).collect(Collectors.joining(", "))
          + ". Export the model for text classification without past key values (see"
          + " docs/reward-models.md)");
    }
  }

  private final InputEncoder encoder;
  private final List<ModelInput> inputs;
  private final List<String> names;
  private final String modelDescription;
  private final Batchifier batchifier;

  RewardTranslator(InputEncoder encoder, List<String> inputNames, long padId,
      String modelDescription) {
    List<ModelInput> list = new ArrayList<>();
    for (String n : inputNames) {
      list.add(ModelInput.of(n, modelDescription));
    }
    if (!list.contains(ModelInput.INPUT_IDS)) {
      throw new ConfigurationException("the reward model " + modelDescription
          + " has no input_ids input (inputs: " + inputNames + "): export a text-classification"
          + " model whose inputs are input_ids and attention_mask");
    }
    this.encoder = encoder;
    this.inputs = List.copyOf(list);
    this.names = List.copyOf(inputNames);
    this.modelDescription = modelDescription;
    long[] pads = new long[list.size()];
    for (int k = 0; k < pads.length; k++) {
      pads[k] = padValue(list.get(k), padId);
    }
    this.batchifier = new PaddingBatchifier(pads);
  }

  /** The value of padding positions: the pad token, mask 0, type 0, position 1 (as Hugging Face). */
  private static long padValue(ModelInput input, long padId) {
    switch (input) {
      case INPUT_IDS:
        return padId;
      case POSITION_IDS:
        return 1;
      default:
        return 0;
    }
  }

  /** Encodes one pair into one 1-D int64 array per model input, named as the model names them. */
  @Override
  public NDList processInput(TranslatorContext ctx, StringPair pair) {
    InputEncoder.Encoded e = encoder.encode(pair.getKey(), pair.getValue());
    if (e.truncated()) {
      LOG.debug("{}: truncated an input of {} tokens to {}", modelDescription,
          e.originalLength(), e.ids().length);
    }
    int len = e.ids().length;
    NDList list = new NDList(inputs.size());
    for (int k = 0; k < inputs.size(); k++) {
      long[] data = new long[len];
      for (int c = 0; c < len; c++) {
        switch (inputs.get(k)) {
          case INPUT_IDS:
            data[c] = e.ids()[c];
            break;
          case ATTENTION_MASK:
            data[c] = 1;
            break;
          case TOKEN_TYPE_IDS:
            data[c] = e.typeIds()[c];
            break;
          default: // POSITION_IDS, as Hugging Face derives them from the mask
            data[c] = c;
            break;
        }
      }
      NDArray array = ctx.getNDManager().create(data);
      array.setName(names.get(k));
      list.add(array);
    }
    return list;
  }

  /**
   * Scores one batch with a predictor of this translator: one raw logit per pair, in order.
   *
   * @throws dev.tpo.core.error.TpoException the translator's own failure (an output of the wrong
   *     shape), or a {@link RewardScoringException} when the model fails
   */
  static List<Double> score(Predictor<StringPair, Double> predictor, List<StringPair> batch,
      String modelDescription) {
    List<Double> scores;
    try {
      scores = predictor.batchPredict(batch);
    } catch (TranslateException e) {
      for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (t instanceof TpoException) {
          throw (TpoException) t;
        }
      }
      throw new RewardScoringException("reward model " + modelDescription + " failed on a batch"
          + " of " + batch.size() + " inputs: " + e.getMessage(), e);
    }
    if (scores.size() != batch.size()) {
      throw new RewardScoringException("reward model " + modelDescription + " returned "
          + scores.size() + " logits for " + batch.size() + " inputs; a reward model returns one"
          + " logit per input, shape [batch, 1]. Export it with num_labels=1 (see"
          + " docs/reward-models.md)");
    }
    return scores;
  }

  /** Reads the single logit of one row. */
  @Override
  public Double processOutput(TranslatorContext ctx, NDList row) {
    return logits(row, 1)[0];
  }

  @Override
  public Batchifier getBatchifier() {
    return batchifier;
  }

  /**
   * Pads each input's 1-D arrays on the right to the batch's longest and stacks them into {@code
   * [batch, length]}; splits the {@code [batch, 1]} logits back into rows. Plain Java: reading and
   * creating arrays are the only engine operations it needs.
   */
  private final class PaddingBatchifier implements Batchifier {
    private static final long serialVersionUID = 1L;
    private final long[] pads;

    PaddingBatchifier(long[] pads) {
      this.pads = pads.clone();
    }

    @Override
    public NDList batchify(NDList[] rows) {
      int n = rows.length;
      NDList out = new NDList(pads.length);
      for (int k = 0; k < pads.length; k++) {
        long[][] values = new long[n][];
        int cols = 1;
        for (int r = 0; r < n; r++) {
          values[r] = rows[r].get(k).toLongArray();
          cols = Math.max(cols, values[r].length);
        }
        long[] data = new long[n * cols];
        for (int r = 0; r < n; r++) {
          long[] v = values[r];
          System.arraycopy(v, 0, data, r * cols, v.length);
          Arrays.fill(data, r * cols + v.length, (r + 1) * cols, pads[k]);
        }
        NDArray array = rows[0].get(k).getManager().create(data, new Shape(n, cols));
        array.setName(names.get(k));
        out.add(array);
      }
      return out;
    }

    @Override
    public NDList[] unbatchify(NDList batch) {
      if (batch.isEmpty()) {
        throw new RewardScoringException("reward model " + modelDescription
            + " returned no output");
      }
      NDArray logits = batch.contains("logits") ? batch.get("logits") : batch.get(0);
      Shape shape = logits.getShape();
      int rows = shape.dimension() == 0 ? 0 : (int) shape.get(0);
      double[] values = logits(batch, rows);
      NDList[] out = new NDList[rows];
      for (int r = 0; r < rows; r++) {
        out[r] = new NDList(logits.getManager().create(new double[] {values[r]}));
      }
      return out;
    }

    /**
     * Not supported: DJL splits a batch only to spread training over several devices, and this
     * batchifier serves inference only ({@code Predictor.batchPredict} never calls it).
     */
    @Override
    public NDList[] split(NDList list, int numOfSlices, boolean evenSplit) {
      throw new UnsupportedOperationException("RewardTranslator's batchifier serves inference"
          + " only; DJL splits batches only for multi-device training, which reward scoring"
          + " does not do");
    }
  }

  private double[] logits(NDList out, int rows) {
    if (out.isEmpty()) {
      throw new RewardScoringException("reward model " + modelDescription + " returned no output");
    }
    NDArray logits = out.contains("logits") ? out.get("logits") : out.get(0);
    Shape shape = logits.getShape();
    if (shape.size() != rows || shape.dimension() == 0 || shape.get(0) != rows) {
      throw new RewardScoringException("reward model " + modelDescription + " returned an output of"
          + " shape " + shape + " for " + rows + " inputs; a reward model returns one logit per"
          + " input, shape [batch, 1]. Export it with num_labels=1 (see docs/reward-models.md)");
    }
    return toDoubles(logits, rows);
  }

  /** Reads float32, float64, float16 or bfloat16 values without engine operations. */
  private double[] toDoubles(NDArray array, int rows) {
    DataType type = array.getDataType();
    double[] scores = new double[rows];
    if (type == DataType.FLOAT32) {
      float[] v = array.toFloatArray();
      for (int i = 0; i < rows; i++) {
        scores[i] = v[i];
      }
      return scores;
    }
    if (type == DataType.FLOAT64) {
      return array.toDoubleArray();
    }
    if (type == DataType.FLOAT16 || type == DataType.BFLOAT16) {
      ByteBuffer bytes = array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < rows; i++) {
        short bits = bytes.getShort(2 * i);
        scores[i] = type == DataType.BFLOAT16
            ? Float.intBitsToFloat((bits & 0xffff) << 16)
            : HalfFloat.toFloat(bits);
      }
      return scores;
    }
    throw new RewardScoringException("reward model " + modelDescription + " returned " + type
        + " logits; a reward model returns floating-point logits");
  }
}
