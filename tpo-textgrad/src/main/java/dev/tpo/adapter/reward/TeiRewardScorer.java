package dev.tpo.adapter.reward;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.adapter.http.Secrets;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.reward.ScoredBatch;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Scores responses with a sequence-classification model served by Hugging Face
 * text-embeddings-inference ({@code text-embeddings-router --model-id MODEL}), through {@code POST
 * /predict}.
 *
 * <p>The batch is sent in requests of {@link Builder#batchSize(int)} inputs (TEI's {@code
 * --max-client-batch-size} defaults to 32), concurrently: {@code {"inputs": [[prompt, response],
 * ...], "raw_scores": true, "truncate": true}}, each input a (text, text pair) as cross-encoders
 * and reward models such as {@code OpenAssistant/reward-model-deberta-v3-large-v2} expect, or, with
 * {@link Builder#inputTemplate(String)}, one formatted text. {@code raw_scores} asks for the logit,
 * not a softmax. The answer {@code [[{score, label}], ...]} is read in input order; a model with
 * several labels needs {@link Builder#label(String)}. A missing or non-finite score fails with a
 * {@link dev.tpo.core.error.RewardScoringException} naming the scorer and the response's index.
 *
 * <p>Thread-safe: create one per server and share it.
 */
public final class TeiRewardScorer extends AsyncRewardScorer {
  private final JsonPoster poster;
  private final String inputTemplate;
  private final String label;
  private final int batchSize;
  private final boolean truncate;
  private final String name;

  private TeiRewardScorer(Builder b, URI root) {
    this.poster = b.poster(root);
    this.inputTemplate = b.inputTemplate;
    this.label = b.label;
    this.batchSize = b.batchSizeValue();
    this.truncate = b.truncate;
    this.name = "tei@" + Secrets.describe(root);
  }

  /**
   * A new builder.
   *
   * @return a builder with the defaults stated on its setters
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  CompletableFuture<ScoredBatch> scoreAsync(String prompt, List<String> responses) {
    Objects.requireNonNull(prompt, "prompt");
    return Blocking.inBatches(List.copyOf(responses), batchSize, (chunk, first) ->
        poster.post("/predict", predictBody(prompt, chunk))
            .thenApply(root -> ScoreShapes.tei(name, root, chunk.size(), first, label)))
        .thenApply(ScoredBatch::of);
  }

  /**
   * The {@code /predict} request body for a batch.
   *
   * @param prompt the user's query
   * @param responses the responses
   * @return the JSON body
   */
  ObjectNode predictBody(String prompt, List<String> responses) {
    ObjectNode body = JsonPoster.MAPPER.createObjectNode();
    ArrayNode inputs = body.putArray("inputs");
    for (String r : responses) {
      if (inputTemplate == null) {
        inputs.addArray().add(prompt).add(r);
      } else {
        inputs.add(inputTemplate.replace("{prompt}", prompt).replace("{response}", r));
      }
    }
    body.put("raw_scores", true);
    body.put("truncate", truncate);
    return body;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "TeiRewardScorer[" + name + (label == null ? "" : ", label=" + label) + "]";
  }

  /**
   * Builds a {@link TeiRewardScorer}; {@link #build()} validates and names the bad field. The
   * settings every HTTP scorer takes (URL, key, time limit, concurrency, retries, batch size) and
   * their defaults are inherited. Not thread-safe.
   */
  public static final class Builder extends HttpScorerBuilder<Builder> {
    private String inputTemplate;
    private String label;
    private boolean truncate = true;

    private Builder() {
      super(8);
    }

    /**
     * Sends each input as one text formatted with {@code {prompt}} and {@code {response}}
     * placeholders instead of a (prompt, response) pair. Unset by default (pairs).
     *
     * @param inputTemplate a template containing {@code {response}}, or null for pairs
     * @return this builder
     */
    public Builder inputTemplate(String inputTemplate) {
      this.inputTemplate = inputTemplate;
      return this;
    }

    /**
     * The label whose score is the reward, for models with several labels. Unset by default: a
     * model with one label needs none.
     *
     * @param label the label name, for example {@code LABEL_1}, or null
     * @return this builder
     */
    public Builder label(String label) {
      this.label = label == null || label.isBlank() ? null : label;
      return this;
    }

    /**
     * Whether the server truncates inputs longer than the model's limit (else it answers 413).
     * Defaults to true.
     *
     * @param truncate whether to truncate
     * @return this builder
     */
    public Builder truncate(boolean truncate) {
      this.truncate = truncate;
      return this;
    }

    /**
     * Validates and builds. Does no I/O.
     *
     * @return the scorer
     * @throws ConfigurationException naming the field and value when one is invalid
     */
    public TeiRewardScorer build() {
      URI root = validateShared("TeiRewardScorer");
      if (inputTemplate != null && !inputTemplate.contains("{response}")) {
        throw new ConfigurationException(
            "TeiRewardScorer.inputTemplate must contain {response}, got '" + inputTemplate + "'");
      }
      return new TeiRewardScorer(this, root);
    }
  }
}
