package dev.tpo.adapter.reward;

import dev.tpo.adapter.http.Secrets;
import dev.tpo.core.error.BadRequestException;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.Futures;
import dev.tpo.core.error.RewardScoringException;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.model.TokenUsage;
import dev.tpo.core.reward.ScoredBatch;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * LLM-as-judge: a {@link LanguageModel} rates each response against a rubric on a scale from 0 to
 * {@link Builder#scale(int)}; the rating is the score. For use when no reward model is at hand.
 *
 * <p>Each response is judged in its own request (concurrently; the model bounds its requests in
 * flight), with temperature 0 and a fixed seed. With {@link Builder#structuredOutput(boolean)} the
 * request asks for {@code {"reasoning", "score"}} through {@code response_format} of type {@code
 * json_schema} (vLLM, SGLang, Ollama and OpenAI serve it); a server that rejects it with HTTP
 * 400 or 422 naming it (or, as llama-server does, "Failed to initialize samplers") gets the
 * judgement again in the tagged text format, and tagged requests from then on: said once (a WARN
 * log line) and counted ({@link #structuredOutputFallbacks()}). Otherwise the judge ends its reply with {@code
 * <score>N</score>}. The rating is read from tidy and messy replies alike ({@code JudgeScores}); a
 * reply without one is asked once more. A second miss fails softly, the way a TPO run treats an
 * update round that does not parse: the response gets the lowest score, 0, the batch carries a
 * warning naming the judge, the responses and the last reply ({@link ScoredBatch#warnings()}, which
 * a TPO run adds to its result), and the miss is counted ({@link #unratedResponses()}); with {@link
 * Builder#failOnMissingRating(boolean)} it fails with a {@link RewardScoringException} instead.
 * {@link #scoreAll} reports the tokens of every judge request, so a TPO run counts them.
 *
 * <p>Thread-safe if the model is: create one and share it.
 */
public final class JudgeRewardScorer extends AsyncRewardScorer {
  private final LanguageModel model;
  private final PromptTemplates prompts;
  private final String rubric;
  private final int scale;
  private final int maxTokens;
  private final long seed;
  private final AtomicBoolean structured;
  private final boolean failOnMissingRating;
  private final java.util.concurrent.atomic.AtomicLong unrated =
      new java.util.concurrent.atomic.AtomicLong();
  private final AtomicBoolean unratedLogged = new AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicLong fallbacks =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile String fallbackReason;
  private static final dev.tpo.adapter.http.LibraryLog LOG =
      dev.tpo.adapter.http.LibraryLog.of(JudgeRewardScorer.class);

  private JudgeRewardScorer(Builder b) {
    this.model = b.model;
    this.prompts = b.prompts;
    this.rubric = b.rubric != null ? b.rubric
        : b.prompts.get(PromptTemplates.JUDGE_RUBRIC).text();
    this.scale = b.scale;
    this.maxTokens = b.maxTokens;
    this.seed = b.seed;
    this.structured = new AtomicBoolean(b.structuredOutput);
    this.failOnMissingRating = b.failOnMissingRating;
  }

  /**
   * A new builder.
   *
   * @return a builder with the defaults stated on its setters
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Judges every response concurrently and reports the judge model's usage over all of its
   * requests (retries included), so a TPO run counts them in its usage and token budget.
   */
  @Override
  CompletableFuture<ScoredBatch> scoreAsync(String prompt, List<String> responses) {
    Objects.requireNonNull(prompt, "prompt");
    List<String> all = List.copyOf(responses);
    List<CompletableFuture<Judged>> parts = new ArrayList<>(all.size());
    for (int i = 0; i < all.size(); i++) {
      parts.add(judge(prompt, all.get(i), i, TokenUsage.ZERO));
    }
    return Blocking.all(parts).thenApply(judged -> {
      List<Double> scores = new ArrayList<>(judged.size());
      TokenUsage usage = TokenUsage.ZERO;
      List<Integer> missed = new ArrayList<>();
      String lastReply = null;
      for (int i = 0; i < judged.size(); i++) {
        Judged j = judged.get(i);
        scores.add(j.score());
        usage = usage.plus(j.usage());
        if (j.unratedReply() != null) {
          missed.add(i);
          lastReply = j.unratedReply();
        }
      }
      if (missed.isEmpty()) {
        return new ScoredBatch(scores, usage);
      }
      unrated.addAndGet(missed.size());
      String warning = "reward scorer '" + name() + "' found no rating from 0 to " + scale
          + " in its replies on " + missed.size() + " of " + judged.size() + " responses (#"
          + missed.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", #"))
          + ") after asking twice; they score 0, the lowest. Last reply: '"
          + Secrets.snippet(lastReply) + "'. A judge model that follows instructions (an"
          + " instruct/chat model) rates them";
      if (unratedLogged.compareAndSet(false, true)) {
        LOG.warn("{} (said once; counted in unratedResponses())", warning);
      }
      return new ScoredBatch(scores, usage, List.of(warning));
    });
  }

  /**
   * One rating and the judge's usage to get it; {@code unratedReply} is the judge's last reply
   * when it held no rating (the score is then 0), else null.
   */
  private record Judged(double score, TokenUsage usage, String unratedReply) {
    Judged(double score, TokenUsage usage) {
      this(score, usage, null);
    }
  }

  private CompletableFuture<Judged> judge(String prompt, String response, int index,
      TokenUsage spent) {
    boolean useJson = structured.get();
    List<ChatMessage> conversation = List.of(
        ChatMessage.system(render(PromptTemplates.JUDGE_SYSTEM)),
        ChatMessage.user(prompts.render(PromptTemplates.JUDGE_USER, Map.of(
            "prompt", prompt, "response", response,
            "format", render(useJson ? PromptTemplates.JUDGE_FORMAT_JSON
                : PromptTemplates.JUDGE_FORMAT_TAGGED)))));
    return ask(conversation, useJson).handle((answer, failure) -> {
      if (failure != null) {
        Throwable t = Futures.unwrap(failure);
        if (useJson && rejectsStructuredOutput(t)) {
          // The server does not serve response_format (llama-server: "Failed to initialize
          // samplers"): judge in the tagged text format from now on, said once and counted.
          fallbacks.incrementAndGet();
          if (structured.compareAndSet(true, false)) {
            fallbackReason = t.getMessage();
            LOG.warn("judge {}: the server rejected the structured-output request"
                + " (response_format json_schema): {}; the judge asks for its tagged plain-text"
                + " format (<score>N</score>) from now on", name(), t.getMessage());
          }
          return judge(prompt, response, index, spent);
        }
        return CompletableFuture.<Judged>failedFuture(t);
      }
      String reply = answer.text();
      TokenUsage afterFirst = spent.plus(answer.usage());
      OptionalDouble first = JudgeScores.parse(reply, scale);
      if (first.isPresent()) {
        return CompletableFuture.completedFuture(new Judged(first.getAsDouble(), afterFirst));
      }
      List<ChatMessage> retry = new ArrayList<>(conversation);
      retry.add(ChatMessage.assistant(reply));
      retry.add(ChatMessage.user(render(PromptTemplates.JUDGE_RETRY)));
      return ask(retry, false).thenApply(secondAnswer -> {
        String second = secondAnswer.text();
        OptionalDouble again = JudgeScores.parse(second, scale);
        TokenUsage total = afterFirst.plus(secondAnswer.usage());
        if (again.isEmpty()) {
          if (!failOnMissingRating) {
            return new Judged(0.0, total, second);
          }
          throw new CompletionException(new RewardScoringException(
              "reward scorer '" + name() + "' found no rating from 0 to " + scale
                  + " for response #" + index + " after asking twice; last reply: '"
                  + Secrets.snippet(second) + "'. Use a stronger judge model, or one that"
                  + " follows instructions (an instruct/chat model)"));
        }
        return new Judged(again.getAsDouble(), total);
      });
    }).thenCompose(f -> f);
  }

  /**
   * A 400/422 that is about the structured-output request, as servers without it answer: vLLM and
   * others name {@code response_format} or the schema, llama-server says "Failed to initialize
   * samplers" (its grammar sampler cannot take the schema). Any other bad request (a prompt too
   * long) surfaces as it is.
   */
  private static boolean rejectsStructuredOutput(Throwable t) {
    if (!(t instanceof BadRequestException)) {
      return false;
    }
    String text = (t.getMessage() + " " + ((BadRequestException) t).responseBody())
        .toLowerCase(java.util.Locale.ROOT);
    return text.contains("response_format") || text.contains("json_schema")
        || text.contains("schema") || text.contains("structured") || text.contains("guided")
        || text.contains("sampler") || text.contains("grammar");
  }

  private CompletableFuture<ChatResponse> ask(List<ChatMessage> conversation, boolean useJson) {
    ChatRequest.Builder request = ChatRequest.builder().messages(conversation).n(1)
        .temperature(0.0).topP(1.0).maxTokens(maxTokens).seed(seed);
    if (useJson) {
      request.putExtraBody("response_format", responseFormat());
    }
    return model.chatAsync(request.build());
  }

  private Map<String, Object> responseFormat() {
    Map<String, Object> score = new LinkedHashMap<>();
    score.put("type", "integer");
    score.put("minimum", 0);
    score.put("maximum", scale);
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", Map.of("reasoning", Map.of("type", "string"), "score", score));
    schema.put("required", List.of("reasoning", "score"));
    schema.put("additionalProperties", false);
    Map<String, Object> jsonSchema = new LinkedHashMap<>();
    jsonSchema.put("name", "rating");
    jsonSchema.put("strict", true);
    jsonSchema.put("schema", schema);
    return Map.of("type", "json_schema", "json_schema", jsonSchema);
  }

  private String render(String template) {
    return prompts.render(template, Map.of("max", Integer.toString(scale), "rubric", rubric));
  }

  /**
   * Whether requests still ask for structured output.
   *
   * @return false when configured off, or after the server rejected {@code response_format}
   */
  public boolean structuredOutput() {
    return structured.get();
  }

  /**
   * How many judgements were sent again in the tagged text format because the server rejected the
   * structured-output request (one per judgement that was in flight when it happened; 0 when the
   * server serves {@code response_format} or it was off).
   *
   * @return the count
   */
  public long structuredOutputFallbacks() {
    return fallbacks.get();
  }

  /**
   * Why the judge fell back to the tagged text format: the server's refusal (key redacted).
   *
   * @return the first refusal's message, empty when the judge never fell back
   */
  public java.util.Optional<String> structuredOutputFallbackReason() {
    return java.util.Optional.ofNullable(fallbackReason);
  }

  /**
   * How many responses got the lowest score because the judge's replies held no rating after
   * asking twice (0 when every reply had one, or with {@link Builder#failOnMissingRating(boolean)}).
   *
   * @return the count since this scorer was built
   */
  public long unratedResponses() {
    return unrated.get();
  }

  @Override
  public String name() {
    return "judge(" + model.name() + ")";
  }

  /** The top of the rating scale ({@link Builder#scale(int)}): no response can score higher. */
  @Override
  public OptionalDouble maxScore() {
    return OptionalDouble.of(scale);
  }

  @Override
  public String toString() {
    return "JudgeRewardScorer[" + name() + ", scale=0.." + scale + "]";
  }

  /**
   * Builds a {@link JudgeRewardScorer}; {@link #build()} validates and names the bad field. Not
   * thread-safe.
   */
  public static final class Builder {
    private LanguageModel model;
    private String rubric;
    private PromptTemplates prompts = PromptTemplates.defaults();
    private int scale = 10;
    private int maxTokens = 512;
    private long seed;
    private boolean structuredOutput = true;
    private boolean failOnMissingRating;

    private Builder() {}

    /**
     * The judge model. Required.
     *
     * @param model the model
     * @return this builder
     */
    public Builder model(LanguageModel model) {
      this.model = model;
      return this;
    }

    /**
     * The prompt registry the judge's prompts come from ({@link PromptTemplates#JUDGE_SYSTEM},
     * {@link PromptTemplates#JUDGE_USER}, the formats, the retry and the default rubric); replace
     * any of them with {@link PromptTemplates#with}. Defaults to {@link
     * PromptTemplates#defaults()}.
     *
     * @param prompts the registry
     * @return this builder
     */
    public Builder prompts(PromptTemplates prompts) {
      this.prompts = Objects.requireNonNull(prompts, "prompts");
      return this;
    }

    /**
     * What makes an answer good, inserted into the judge's instructions. Defaults to the
     * registry's {@link PromptTemplates#JUDGE_RUBRIC}: helpfulness, correctness, clarity and
     * safety.
     *
     * @param rubric the rubric text
     * @return this builder
     */
    public Builder rubric(String rubric) {
      this.rubric = rubric;
      return this;
    }

    /**
     * The top of the rating scale (ratings go from 0). Defaults to 10.
     *
     * @param scale 1 to 100
     * @return this builder
     */
    public Builder scale(int scale) {
      this.scale = scale;
      return this;
    }

    /**
     * Most tokens of one judgement. Defaults to 512.
     *
     * @param maxTokens at least 16
     * @return this builder
     */
    public Builder maxTokens(int maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /**
     * Sampling seed of every judgement. Defaults to 0.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Whether to ask for JSON through {@code response_format} (json_schema). Defaults to true; a
     * server that rejects it is asked in plain text from then on.
     *
     * @param structuredOutput whether to ask for JSON
     * @return this builder
     */
    public Builder structuredOutput(boolean structuredOutput) {
      this.structuredOutput = structuredOutput;
      return this;
    }

    /**
     * Whether a response whose judge replies hold no rating (after asking twice) fails the batch
     * with a {@link RewardScoringException}. Defaults to false: it scores 0, the lowest, with a
     * warning on the batch, as a TPO run treats an update round that does not parse.
     *
     * @param fail true to fail
     * @return this builder
     */
    public Builder failOnMissingRating(boolean fail) {
      this.failOnMissingRating = fail;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the scorer
     * @throws ConfigurationException naming the field and value when one is invalid
     */
    public JudgeRewardScorer build() {
      if (model == null) {
        throw new ConfigurationException(
            "JudgeRewardScorer.model is not set: give the LanguageModel that judges");
      }
      if (rubric != null && rubric.isBlank()) {
        throw new ConfigurationException("JudgeRewardScorer.rubric is empty: describe what makes"
            + " an answer good, or leave the default");
      }
      if (scale < 1 || scale > 100) {
        throw new ConfigurationException(
            "JudgeRewardScorer.scale must be between 1 and 100, got " + scale);
      }
      if (maxTokens < 16) {
        throw new ConfigurationException(
            "JudgeRewardScorer.maxTokens must be at least 16, got " + maxTokens);
      }
      return new JudgeRewardScorer(this);
    }
  }
}
