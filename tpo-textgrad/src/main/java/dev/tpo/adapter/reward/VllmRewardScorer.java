package dev.tpo.adapter.reward;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.adapter.http.Secrets;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.reward.ScoredBatch;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Scores responses with a reward model served by vLLM's pooling runner ({@code vllm serve MODEL
 * --runner pooling}; older versions {@code --task reward} or {@code --task classify}).
 *
 * <p><b>{@code /pooling}</b> (default): one request per response, sent concurrently, each {@code
 * {"model", "messages":[user: prompt, assistant: response], "add_generation_prompt": false,
 * "use_activation": false}}: the server applies the model's own chat template. <b>{@code
 * /classify}</b>: the batch in requests of {@link Builder#batchSize(int)} inputs, {@code {"model",
 * "input":[...], "use_activation": false}}, each input the pair written out with {@link
 * Builder#inputTemplate(String)}. {@code use_activation:false} asks for the raw logit; versions
 * before it used {@code softmax}/{@code normalize} flags instead, which {@link
 * Builder#putExtraBody(String, Object)} can send.
 *
 * <p>Answers are read leniently (the shapes of several vLLM versions, see {@code ScoreShapes}) and
 * placed by {@code index}; a missing or non-finite score fails with a {@link
 * dev.tpo.core.error.RewardScoringException} naming the scorer and the response's index.
 * Retryable failures (429, 5xx, I/O) are retried with backoff; the rest map onto {@code
 * dev.tpo.core.error}.
 *
 * <p>Thread-safe: create one per server and share it.
 */
public final class VllmRewardScorer extends AsyncRewardScorer {
  /** The vLLM endpoint a scorer talks to. Immutable; thread-safe. */
  public enum Endpoint {
    /** {@code POST /pooling} with chat messages; the server applies the chat template. */
    POOLING("/pooling"),
    /** {@code POST /classify} with pre-formatted text inputs, batched. */
    CLASSIFY("/classify");

    private final String path;

    Endpoint(String path) {
      this.path = path;
    }

    /** @return the path, for example {@code /pooling} */
    public String path() {
      return path;
    }
  }

  private static final List<String> POOLING_FIELDS = List.of("data", "embedding", "score");
  private static final List<String> CLASSIFY_FIELDS =
      List.of("probs", "logits", "data", "score", "scores");

  private final JsonPoster poster;
  private final Endpoint endpoint;
  private final String model;
  private final String inputTemplate;
  private final int batchSize;
  private final Integer scoreIndex;
  private final Map<String, Object> extraBody;
  private final String name;

  private VllmRewardScorer(Builder b, URI root) {
    this.poster = b.poster(root);
    this.endpoint = b.endpoint;
    this.model = b.model;
    this.inputTemplate = b.inputTemplate;
    this.batchSize = b.batchSizeValue();
    this.scoreIndex = b.scoreIndex;
    this.extraBody = Map.copyOf(b.extraBody);
    this.name = "vllm" + endpoint.path() + "@" + Secrets.describe(root);
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
    List<String> items = List.copyOf(responses);
    if (items.isEmpty()) {
      return CompletableFuture.completedFuture(ScoredBatch.of(List.of()));
    }
    if (endpoint == Endpoint.POOLING) {
      return Blocking.inBatches(items, 1, (one, index) ->
          poster.post(endpoint.path(), poolingBody(prompt, one.get(0)))
              .thenApply(root -> ScoreShapes.vllm(name, root, 1, index, scoreIndex,
                  POOLING_FIELDS))).thenApply(ScoredBatch::of);
    }
    return Blocking.inBatches(items, batchSize, (chunk, first) ->
        poster.post(endpoint.path(), classifyBody(prompt, chunk))
            .thenApply(root -> ScoreShapes.vllm(name, root, chunk.size(), first, scoreIndex,
                CLASSIFY_FIELDS))).thenApply(ScoredBatch::of);
  }

  /**
   * The {@code /pooling} request body for one response.
   *
   * @param prompt the user's query
   * @param response the response
   * @return the JSON body
   */
  ObjectNode poolingBody(String prompt, String response) {
    ObjectNode body = JsonPoster.MAPPER.createObjectNode();
    if (model != null) {
      body.put("model", model);
    }
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "user").put("content", prompt);
    messages.addObject().put("role", "assistant").put("content", response);
    body.put("add_generation_prompt", false);
    body.put("use_activation", false);
    extraBody.forEach((k, v) -> body.set(k, JsonPoster.MAPPER.valueToTree(v)));
    return body;
  }

  /**
   * The {@code /classify} request body for a batch.
   *
   * @param prompt the user's query
   * @param responses the responses
   * @return the JSON body
   */
  ObjectNode classifyBody(String prompt, List<String> responses) {
    ObjectNode body = JsonPoster.MAPPER.createObjectNode();
    if (model != null) {
      body.put("model", model);
    }
    ArrayNode input = body.putArray("input");
    for (String r : responses) {
      input.add(inputTemplate.replace("{prompt}", prompt).replace("{response}", r));
    }
    body.put("use_activation", false);
    extraBody.forEach((k, v) -> body.set(k, JsonPoster.MAPPER.valueToTree(v)));
    return body;
  }

  /** @return the endpoint this scorer uses */
  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "VllmRewardScorer[" + name + (model == null ? "" : ", model=" + model) + "]";
  }

  /**
   * Builds a {@link VllmRewardScorer}; {@link #build()} validates and names the bad field. The
   * settings every HTTP scorer takes (URL, key, time limit, concurrency, retries, batch size) and
   * their defaults are inherited. Not thread-safe.
   */
  public static final class Builder extends HttpScorerBuilder<Builder> {
    private Endpoint endpoint = Endpoint.POOLING;
    private String model;
    private String inputTemplate = "User: {prompt}\n\nAssistant: {response}";
    private Integer scoreIndex;
    private final Map<String, Object> extraBody = new LinkedHashMap<>();

    private Builder() {
      // As many as the policy adapter's default: one request per candidate, and `tpo run`
      // scores the N candidates of --concurrency prompts at once (16 held some back, issue 21).
      super(64);
    }

    /**
     * Which endpoint to use. Defaults to {@link Endpoint#POOLING}.
     *
     * @param endpoint the endpoint
     * @return this builder
     */
    public Builder endpoint(Endpoint endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /**
     * The served model name, sent as {@code model}. Unset by default (not sent: vLLM then uses
     * the model it serves).
     *
     * @param model the name, or null
     * @return this builder
     */
    public Builder model(String model) {
      this.model = model == null || model.isBlank() ? null : model.trim();
      return this;
    }

    /**
     * How {@code /classify} writes (prompt, response) into one input, with the placeholders
     * {@code {prompt}} and {@code {response}}. Defaults to {@code "User: {prompt}\n\nAssistant:
     * {response}"}; for a chat reward model write out its chat template, or use {@code /pooling},
     * where the server applies it.
     *
     * @param inputTemplate a template containing {@code {response}}
     * @return this builder
     */
    public Builder inputTemplate(String inputTemplate) {
      this.inputTemplate = inputTemplate;
      return this;
    }

    /**
     * Which class value is the reward when the model outputs several. Unset by default: a model
     * with one output needs none, several outputs then fail with a message.
     *
     * @param scoreIndex from 0, or null
     * @return this builder
     */
    public Builder scoreIndex(Integer scoreIndex) {
      this.scoreIndex = scoreIndex;
      return this;
    }

    /**
     * Adds a body field sent with every request (for example {@code truncate_prompt_tokens}, or
     * an older vLLM's {@code softmax: false}). None by default.
     *
     * @param name the field
     * @param value a JSON-serialisable value
     * @return this builder
     */
    public Builder putExtraBody(String name, Object value) {
      extraBody.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, name));
      return this;
    }

    /**
     * Validates and builds. Does no I/O.
     *
     * @return the scorer
     * @throws ConfigurationException naming the field and value when one is invalid
     */
    public VllmRewardScorer build() {
      URI root = validateShared("VllmRewardScorer");
      if (inputTemplate == null || !inputTemplate.contains("{response}")) {
        throw new ConfigurationException(
            "VllmRewardScorer.inputTemplate must contain {response}, got '" + inputTemplate + "'");
      }
      if (scoreIndex != null && scoreIndex < 0) {
        throw new ConfigurationException(
            "VllmRewardScorer.scoreIndex must be >= 0, got " + scoreIndex);
      }
      return new VllmRewardScorer(this, root);
    }
  }
}
