package dev.tpo;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.Futures;
import dev.tpo.core.error.TpoException;
import dev.tpo.core.event.TpoListener;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.text.TokenCounter;
import dev.tpo.internal.DefaultExecutor;
import dev.tpo.loop.BatchRunner;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-Time Preference Optimization with any {@link dev.tpo.core.model.LanguageModel} and any
 * {@link dev.tpo.core.reward.RewardScorer}: for each prompt, sample N answers in one request, score
 * them, and for D rounds turn the contrast between the best and the worst answer of the whole pool
 * into a textual loss, a textual gradient and N rewritten answers; the answer is the best of the
 * whole pool.
 *
 * <pre>{@code
 * Tpo tpo = Tpo.builder()
 *     .policy(model)          // a LanguageModel, e.g. OpenAiCompatibleModel
 *     .scorer(rewardScorer)   // a RewardScorer, e.g. RewardScorers.fromSpec("vllm+http://...")
 *     .build();
 * TpoResult result = tpo.optimize("How do I cook rice?");
 * System.out.println(result.answer() + " (" + result.bestScore() + ")");
 * }</pre>
 *
 * <p>Immutable and thread-safe: create one and share it; many prompts may run on it at once
 * ({@link #optimizeAsync}, {@link #optimizeAll}). A variant is {@link #toBuilder()}{@code ...build()}.
 * {@link #defaults()} is an instance configured from environment variables.
 */
public final class Tpo {
  private static final AtomicLong RUN_IDS = new AtomicLong();

  final LanguageModel policy;
  final LanguageModel critic;
  final RewardScorer scorer;
  final RewardScorer checkedScorer;
  final TpoMode mode;
  final TpoSettings settings;
  final PromptTemplates prompts;
  final TpoListener userListener;
  final TpoListener listener;
  final Executor userExecutor;
  final Executor executor;
  final Clock clock;
  final TokenCounter tokenCounter;
  final boolean streamScoring;

  Tpo(TpoBuilder b, TpoSettings settings) {
    this.policy = b.policy;
    this.critic = b.critic != null ? b.critic : b.policy;
    this.scorer = b.scorer;
    this.checkedScorer = RewardScorer.checked(b.scorer);
    this.mode = b.mode;
    this.settings = settings;
    this.prompts = b.prompts.withAll(b.promptOverrides);
    this.userListener = b.listener;
    this.listener = TpoListener.safe(b.listener);
    this.userExecutor = b.executor;
    this.executor = b.executor != null ? b.executor : DefaultExecutor.get();
    this.clock = b.clock;
    this.tokenCounter = b.tokenCounter;
    this.streamScoring = b.streamScoring;
  }

  /**
   * A new builder with the paper's defaults ({@link TpoSettings#DEFAULTS}: N=5, D=2, temperature
   * 0.7, top_p 0.95, seed 7) and {@link TpoMode#TPO}.
   *
   * @return the builder
   */
  public static TpoBuilder builder() {
    return new TpoBuilder();
  }

  /**
   * A builder with this instance's configuration, to derive a variant.
   *
   * @return the builder
   */
  public TpoBuilder toBuilder() {
    TpoBuilder b = new TpoBuilder()
        .policy(policy)
        .scorer(scorer)
        .mode(mode)
        .settings(settings)
        .prompts(prompts)
        .listener(userListener)
        .executor(userExecutor)
        .clock(clock)
        .tokenCounter(tokenCounter)
        .streamScoring(streamScoring);
    if (critic != policy) {
      b.critic(critic);
    }
    return b;
  }

  /**
   * The shared instance configured from environment variables and system properties, created on
   * first use. See {@link TpoEnvironment} for the variables.
   *
   * @return the instance
   * @throws dev.tpo.core.error.ConfigurationException naming the missing variables
   */
  public static Tpo defaults() {
    return TpoEnvironment.shared();
  }

  /** @return the default settings of runs, every field set; a request overrides them */
  public TpoSettings settings() {
    return settings;
  }

  /** @return whether choices are scored as they finish ({@link TpoBuilder#streamScoring}) */
  public boolean streamScoring() {
    return streamScoring;
  }

  /** @return the default mode of runs */
  public TpoMode mode() {
    return mode;
  }

  /**
   * Optimizes an answer to one prompt, blocking until the run ends.
   *
   * @param prompt the user's query
   * @return the result
   * @throws TpoException when the model or the scorer fails (an update round whose choices are
   *     all unparsable does not fail the run: it is recorded and the run goes on)
   */
  public TpoResult optimize(String prompt) {
    return optimize(TpoRequest.of(prompt));
  }

  /**
   * Optimizes an answer to one request, blocking until the run ends.
   *
   * @param request the request
   * @return the result
   * @throws TpoException when the model or the scorer fails
   */
  public TpoResult optimize(TpoRequest request) {
    Objects.requireNonNull(request, "request");
    String runId = request.id().orElseGet(() -> "run-" + RUN_IDS.incrementAndGet());
    return new TpoLoop(this, request, runId).run();
  }

  /**
   * Optimizes an answer to one prompt on this instance's executor.
   *
   * @param prompt the user's query
   * @return a future completed with the result, or exceptionally with the run's failure
   */
  public CompletableFuture<TpoResult> optimizeAsync(String prompt) {
    return optimizeAsync(TpoRequest.of(prompt));
  }

  /**
   * Optimizes an answer to one request on this instance's executor.
   *
   * @param request the request
   * @return a future completed with the result, or exceptionally with the run's failure
   */
  public CompletableFuture<TpoResult> optimizeAsync(TpoRequest request) {
    Objects.requireNonNull(request, "request");
    return CompletableFuture.supplyAsync(() -> optimize(request), executor);
  }

  /**
   * Optimizes many requests with {@code concurrency} runs in flight until the queue drains, with
   * no barrier between them: each finished run is replaced by the next request at once, so one
   * slow prompt never holds the others back. Blocks until every run has ended.
   *
   * @param requests the requests
   * @param concurrency how many run at once, at least 1
   * @return one outcome per request, in input order: its result or its failure
   * @throws ConfigurationException when concurrency is below 1 or a request is null (naming its
   *     index); then no request runs
   */
  public List<TpoOutcome> optimizeAll(List<TpoRequest> requests, int concurrency) {
    return Futures.join(optimizeAllAsync(requests, concurrency));
  }

  /**
   * Optimizes many prompts; see {@link #optimizeAll(List, int)}.
   *
   * @param prompts the user's queries
   * @param concurrency how many run at once, at least 1
   * @return one outcome per prompt, in input order
   * @throws ConfigurationException naming the index when a prompt is null, blank or not valid
   *     Unicode; then no prompt runs
   */
  public List<TpoOutcome> optimizePrompts(List<String> prompts, int concurrency) {
    Objects.requireNonNull(prompts, "prompts");
    List<TpoRequest> requests = new ArrayList<>(prompts.size());
    for (int i = 0; i < prompts.size(); i++) {
      try {
        requests.add(TpoRequest.of(prompts.get(i)));
      } catch (ConfigurationException e) {
        throw new ConfigurationException(
            "prompts[" + i + "]: " + e.getMessage() + "; nothing was run", e);
      }
    }
    return optimizeAll(requests, concurrency);
  }

  /**
   * Like {@link #optimizeAll(List, int)} without blocking the caller.
   *
   * @param requests the requests
   * @param concurrency how many run at once, at least 1
   * @return a future completed with one outcome per request, in input order
   */
  public CompletableFuture<List<TpoOutcome>> optimizeAllAsync(
      List<TpoRequest> requests, int concurrency) {
    Objects.requireNonNull(requests, "requests");
    if (concurrency < 1) {
      throw new ConfigurationException(
          "optimizeAll concurrency must be at least 1, got " + concurrency);
    }
    for (int i = 0; i < requests.size(); i++) {
      if (requests.get(i) == null) {
        throw new ConfigurationException(
            "optimizeAll requests[" + i + "] is null; pass a TpoRequest for every prompt");
      }
    }
    BatchRunner runner = BatchRunner.builder().concurrency(concurrency).executor(executor).build();
    return runner.<TpoRequest, TpoResult>runAll(requests, this::optimize, null)
        .thenApply(outcomes -> {
          List<TpoOutcome> out = new ArrayList<>(outcomes.size());
          for (BatchRunner.Outcome<TpoRequest, TpoResult> o : outcomes) {
            out.add(o.succeeded() ? TpoOutcome.success(o.index(), o.item(), o.result().get())
                : TpoOutcome.failure(o.index(), o.item(), asRuntime(o.index(), o.error().get())));
          }
          return List.copyOf(out);
        });
  }

  private static RuntimeException asRuntime(int index, Throwable e) {
    Throwable t = Futures.unwrap(e);
    if (t instanceof RuntimeException) {
      return (RuntimeException) t;
    }
    return new CompletionException("the run of prompt #" + index + " failed with " + t, t);
  }

  @Override
  public String toString() {
    return "Tpo{policy=" + policy.name() + ", critic=" + critic.name() + ", scorer="
        + scorer.name() + ", mode=" + mode.name() + ", settings=" + settings + "}";
  }
}
