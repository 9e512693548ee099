package dev.tpo.adapter.reward;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.adapter.http.Secrets;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.reward.RewardScorer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
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
public final class TeiRewardScorer implements RewardScorer {
  private final JsonPoster poster;
  private final String inputTemplate;
  private final String label;
  private final int batchSize;
  private final boolean truncate;
  private final String name;

  private TeiRewardScorer(Builder b, URI root) {
    this.poster = new JsonPoster(root, b.apiKey, b.timeout, b.maxConcurrentRequests,
        b.maxRetries, b.retryBackoff);
    this.inputTemplate = b.inputTemplate;
    this.label = b.label;
    this.batchSize = b.batchSize;
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
  public List<Double> score(String prompt, List<String> responses) {
    return Blocking.join(scoreAsync(prompt, responses));
  }

  @Override
  public CompletableFuture<List<Double>> scoreAsync(String prompt, List<String> responses) {
    Objects.requireNonNull(prompt, "prompt");
    List<String> items = List.copyOf(responses);
    List<CompletableFuture<List<Double>>> parts = new ArrayList<>();
    for (int start = 0; start < items.size(); start += batchSize) {
      int first = start;
      List<String> chunk = items.subList(start, Math.min(items.size(), start + batchSize));
      parts.add(poster.post("/predict", predictBody(prompt, chunk))
          .thenApply(root -> ScoreShapes.tei(name, root, chunk.size(), first, label)));
    }
    return Blocking.concat(parts);
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
   * Builds a {@link TeiRewardScorer}; {@link #build()} validates and names the bad field. Not
   * thread-safe.
   */
  public static final class Builder {
    private String baseUrl;
    private String apiKey;
    private Duration timeout = Duration.ofSeconds(60);
    private int maxConcurrentRequests = 8;
    private int maxRetries = 2;
    private Duration retryBackoff = Duration.ofMillis(500);
    private int batchSize = 32;
    private String inputTemplate;
    private String label;
    private boolean truncate = true;

    private Builder() {}

    /**
     * The server root, for example {@code http://localhost:8080}. Required.
     *
     * @param baseUrl an absolute http(s) URL
     * @return this builder
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    /**
     * API key sent as {@code Authorization: Bearer ...} (TEI's {@code --api-key}). None by
     * default. Never shown in messages.
     *
     * @param apiKey the key, or null
     * @return this builder
     */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
      return this;
    }

    /**
     * Time limit of one HTTP request, also the connect timeout. Defaults to 60 seconds.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * The most requests of this scorer in flight at once. Defaults to 8.
     *
     * @param maxConcurrentRequests at least 1
     * @return this builder
     */
    public Builder maxConcurrentRequests(int maxConcurrentRequests) {
      this.maxConcurrentRequests = maxConcurrentRequests;
      return this;
    }

    /**
     * Retries of a retryable failure (429, 5xx, I/O). Defaults to 2.
     *
     * @param maxRetries 0 to 20
     * @return this builder
     */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * First wait before a retry, doubled on each further one; a 429's {@code Retry-After} wins.
     * Defaults to 500 ms.
     *
     * @param retryBackoff zero or positive
     * @return this builder
     */
    public Builder retryBackoff(Duration retryBackoff) {
      this.retryBackoff = retryBackoff;
      return this;
    }

    /**
     * Inputs per request. Defaults to 32 (TEI's default {@code --max-client-batch-size}).
     *
     * @param batchSize at least 1
     * @return this builder
     */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
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
      URI root = ScorerSettings.root("TeiRewardScorer.baseUrl", baseUrl);
      ScorerSettings.check("TeiRewardScorer", timeout, maxConcurrentRequests, maxRetries,
          retryBackoff, batchSize);
      if (inputTemplate != null && !inputTemplate.contains("{response}")) {
        throw new ConfigurationException(
            "TeiRewardScorer.inputTemplate must contain {response}, got '" + inputTemplate + "'");
      }
      return new TeiRewardScorer(this, root);
    }
  }
}
