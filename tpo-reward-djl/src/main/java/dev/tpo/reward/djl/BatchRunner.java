package dev.tpo.reward.djl;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslateException;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.RewardScoringException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Runs one padded batch through a predictor: builds the int64 inputs the model declares
 * ({@code input_ids}, {@code attention_mask}, and {@code token_type_ids} / {@code position_ids}
 * when asked), pads on the right with the model's pad id, and reads the single logit per row.
 *
 * <p>Thread-safe: immutable; each call uses its own predictor and its own memory manager.
 */
final class BatchRunner {

  /** The model inputs this runner knows how to fill. */
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

  private final List<ModelInput> inputs;
  private final List<String> names;
  private final long padId;
  private final NDManager parent;
  private final String modelDescription;

  BatchRunner(List<String> inputNames, long padId, NDManager parent, String modelDescription) {
    List<ModelInput> list = new ArrayList<>();
    for (String n : inputNames) {
      list.add(ModelInput.of(n, modelDescription));
    }
    if (!list.contains(ModelInput.INPUT_IDS)) {
      throw new ConfigurationException("the reward model " + modelDescription
          + " has no input_ids input (inputs: " + inputNames + "): export a text-classification"
          + " model whose inputs are input_ids and attention_mask");
    }
    this.inputs = List.copyOf(list);
    this.names = List.copyOf(inputNames);
    this.padId = padId;
    this.parent = parent;
    this.modelDescription = modelDescription;
  }

  /**
   * Scores all inputs in batches of at most {@code batchSize}, grouping inputs of similar length
   * (less padding); returns the scores in input order.
   */
  List<Double> runAll(Predictor<NDList, NDList> predictor, List<InputEncoder.Encoded> encoded,
      int batchSize) {
    Integer[] order = new Integer[encoded.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> encoded.get(i).ids().length));
    Double[] scores = new Double[order.length];
    for (int from = 0; from < order.length; from += batchSize) {
      int to = Math.min(order.length, from + batchSize);
      List<InputEncoder.Encoded> batch = new ArrayList<>(to - from);
      for (int k = from; k < to; k++) {
        batch.add(encoded.get(order[k]));
      }
      double[] batchScores = run(predictor, batch);
      for (int k = from; k < to; k++) {
        scores[order[k]] = batchScores[k - from];
      }
    }
    return List.of(scores);
  }

  /** Scores one batch; returns one raw logit per encoded input, in order. */
  double[] run(Predictor<NDList, NDList> predictor, List<InputEncoder.Encoded> batch) {
    int rows = batch.size();
    int cols = 1;
    for (InputEncoder.Encoded e : batch) {
      cols = Math.max(cols, e.ids().length);
    }
    try (NDManager manager = parent.newSubManager()) {
      NDList in = new NDList(inputs.size());
      for (int k = 0; k < inputs.size(); k++) {
        NDArray array =
            manager.create(fill(inputs.get(k), batch, rows, cols), new Shape(rows, cols));
        array.setName(names.get(k));
        in.add(array);
      }
      NDList out = predictor.predict(in);
      out.attach(manager);
      return logits(out, rows);
    } catch (TranslateException e) {
      throw new RewardScoringException("reward model " + modelDescription + " failed on a batch of "
          + rows + " inputs of up to " + cols + " tokens: " + e.getMessage(), e);
    }
  }

  private long[] fill(ModelInput input, List<InputEncoder.Encoded> batch, int rows, int cols) {
    long[] data = new long[rows * cols];
    for (int r = 0; r < rows; r++) {
      InputEncoder.Encoded e = batch.get(r);
      int len = e.ids().length;
      int base = r * cols;
      for (int c = 0; c < cols; c++) {
        boolean real = c < len;
        switch (input) {
          case INPUT_IDS:
            data[base + c] = real ? e.ids()[c] : padId;
            break;
          case ATTENTION_MASK:
            data[base + c] = real ? 1 : 0;
            break;
          case TOKEN_TYPE_IDS:
            data[base + c] = real ? e.typeIds()[c] : 0;
            break;
          default: // POSITION_IDS, as Hugging Face derives them from the mask; 1 on padding
            data[base + c] = real ? c : 1;
            break;
        }
      }
    }
    return data;
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
