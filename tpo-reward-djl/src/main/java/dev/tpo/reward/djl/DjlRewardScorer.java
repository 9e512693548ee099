package dev.tpo.reward.djl;

import ai.djl.inference.Predictor;
import ai.djl.util.StringPair;
import dev.tpo.core.error.RewardScoringException;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.ScoredBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link RewardScorer} that runs a Hugging Face sequence-classification reward model in this JVM
 * through DJL: ONNX through ONNX Runtime by default, TorchScript through PyTorch as the
 * alternative, on the CPU or a GPU. The score of a response is the raw logit of the model's single
 * output (no sigmoid).
 *
 * <p>Input formatting follows the TPO reference: decoder reward models see their chat template over
 * [user: prompt, assistant: response] with no generation prompt and without a doubled BOS; encoder
 * models see the (prompt, response) text pair. Inputs longer than {@link #maxLength()} tokens are
 * truncated (see {@link DjlRewardScorerBuilder#truncationSide}), never rejected. All responses
 * of one call are scored in batches of {@link #batchSize()} (inputs of similar length together, to
 * pad less), right-padded with the model's pad token and an attention mask, so batched scores equal
 * one-by-one scores within float tolerance; scores come back in input order.
 *
 * <p>Fully offline: loading sets {@code ai.djl.offline} and {@code OPT_OUT_TRACKING} to {@code
 * true} unless the application set them already, reads only the local directory, and takes native
 * libraries from Maven artifacts; a missing one is named in the error.
 *
 * <p>Thread-safe, through a pool of predictors: {@link DjlRewardScorerBuilder#predictors(int)}
 * calls run at the same time, further callers wait for a free predictor. Create one scorer per
 * model, share it across TPO runs, and {@link #close()} it when done.
 *
 * <pre>{@code
 * try (DjlRewardScorer scorer = DjlRewardScorer.builder()
 *     .modelDirectory(Path.of("/models/rm")).device("gpu:0").build()) {
 *   List<Double> scores = scorer.score(prompt, candidates);
 * }
 * }</pre>
 */
public final class DjlRewardScorer implements RewardScorer, AutoCloseable {

  private final LoadedModel loaded;
  private final BlockingQueue<Predictor<StringPair, Double>> pool;
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
  public static DjlRewardScorerBuilder builder() {
    return new DjlRewardScorerBuilder();
  }

  /**
   * Scores every response to the prompt, in batches of {@link #batchSize()}.
   *
   * @param prompt the user's query
   * @param responses the candidates; empty ones are fine
   * @return one raw logit per response, in input order, with {@link
   *     dev.tpo.core.model.TokenUsage#ZERO}
   * @throws RewardScoringException when the model fails or the scorer is closed
   */
  @Override
  public ScoredBatch scoreAll(String prompt, List<String> responses) {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(responses, "responses");
    ensureOpen();
    if (responses.isEmpty()) {
      return ScoredBatch.of(List.of());
    }
    for (int i = 0; i < responses.size(); i++) {
      if (responses.get(i) == null) {
        throw new NullPointerException("responses[" + i + "] is null");
      }
    }
    // Inputs of similar length go into one batch, so that the batchifier pads less.
    Integer[] order = new Integer[responses.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> responses.get(i).length()));
    Double[] scores = new Double[order.length];
    Predictor<StringPair, Double> predictor = acquire();
    try {
      for (int from = 0; from < order.length; from += batchSize) {
        int to = Math.min(order.length, from + batchSize);
        List<StringPair> batch = new ArrayList<>(to - from);
        for (int k = from; k < to; k++) {
          batch.add(new StringPair(prompt, responses.get(order[k])));
        }
        List<Double> batchScores = RewardTranslator.score(predictor, batch,
            loaded.description());
        for (int k = from; k < to; k++) {
          scores[order[k]] = batchScores.get(k - from);
        }
      }
    } finally {
      pool.add(predictor);
    }
    return ScoredBatch.of(Arrays.asList(scores));
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
   * Idempotent; later calls to {@link #scoreAll} fail.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<Predictor<StringPair, Double>> returned = new ArrayList<>();
    boolean interrupted = false;
    while (returned.size() < loaded.predictors().size()) {
      try {
        Predictor<StringPair, Double> p = pool.poll(100, TimeUnit.MILLISECONDS);
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

  private Predictor<StringPair, Double> acquire() {
    try {
      while (true) {
        Predictor<StringPair, Double> p = pool.poll(100, TimeUnit.MILLISECONDS);
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
}
