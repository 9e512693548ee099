package dev.tpo;

import dev.tpo.core.autograd.TextualGradient;
import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.Futures;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.error.RewardScoringException;
import dev.tpo.core.error.TpoException;
import dev.tpo.core.event.CandidatesProposed;
import dev.tpo.core.event.CandidatesScored;
import dev.tpo.core.event.GradientComputed;
import dev.tpo.core.event.LossComputed;
import dev.tpo.core.event.Phase;
import dev.tpo.core.event.PhaseCompleted;
import dev.tpo.core.event.PhaseFailed;
import dev.tpo.core.event.PhaseStarted;
import dev.tpo.core.event.RoundStarted;
import dev.tpo.core.event.RunCompleted;
import dev.tpo.core.event.RunFailed;
import dev.tpo.core.event.RunStarted;
import dev.tpo.core.event.RunWarning;
import dev.tpo.core.event.TpoListener;
import dev.tpo.core.call.CallRecord;
import dev.tpo.core.call.CallFailure;
import dev.tpo.core.call.CallRecorder;
import dev.tpo.core.call.CallTag;
import dev.tpo.core.model.ChatChoice;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.FinishReason;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.model.ModelInterceptor;
import dev.tpo.core.model.TokenUsage;
import dev.tpo.core.reward.ScoredBatch;
import dev.tpo.internal.ContextFit;
import dev.tpo.internal.ContextFullException;
import dev.tpo.internal.DefaultExecutor;
import dev.tpo.internal.SettingsDefaults;
import dev.tpo.textgrad.ModelRequests;
import dev.tpo.textgrad.TextGradEngine;
import dev.tpo.textgrad.loss.LlmTextLoss;
import dev.tpo.textgrad.optim.DroppedChoice;
import dev.tpo.textgrad.optim.NoCandidateException;
import dev.tpo.textgrad.optim.Proposal;
import dev.tpo.textgrad.optim.TextualGradientDescent;
import dev.tpo.textgrad.optim.ValueTags;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One TPO run for one prompt, top to bottom, on the thread that calls {@link #run()}:
 *
 * <ol>
 *   <li>settings: the {@link Tpo}'s, overridden by the request's ({@link
 *       TpoSettings#overrideWith});
 *   <li>models: the policy and the critic behind the run's interceptors (settings defaults, context
 *       fit, recording); every request carries its phase and round as a {@link CallTag};
 *   <li>sampling: one request with n=N, scored in one batch, into the pool;
 *   <li>D rounds, as TextGrad's {@code loss.backward(); optimizer.step()}: chosen and rejected from
 *       the whole pool, the loss (forward), the gradient ({@code backward()}), N rewritten answers
 *       (the step, {@code propose(N)}), scored and added to the pool;
 *   <li>the answer: the best of the whole pool.
 * </ol>
 *
 * <p>The token budget and the time limit are checked before each round and between its requests;
 * when one is reached the run stops refining and keeps the best answer so far. The opt-in early
 * stops ({@link TpoSettings#earlyStopRounds()}, {@link TpoSettings#stopAtMaxScore()}) are checked
 * before each round. A prompt that fills
 * the context in a round does the same; an update whose every choice is unparsable ends its round
 * as {@link RoundStatus#FAILED_UNPARSABLE} and the run goes on.
 *
 * <p>Not thread-safe: one instance is one run, used once.
 */
final class TpoLoop {
  /** Tokens kept for the templates and the feedback in gradient and update prompts. */
  static final int PROMPT_ALLOWANCE_TOKENS = 1024;
  /** The least budget for the contexts shown beside the feedback. */
  static final int MIN_CONTEXT_BUDGET_TOKENS = 256;

  private final Tpo tpo;
  private final TpoRequest request;
  private final String runId;
  private final TpoListener listener;
  private final Pool pool = new Pool();
  private final Map<Phase, PhaseStats> phases = new EnumMap<>(Phase.class);
  private final List<String> warnings = new ArrayList<>();
  private TpoMode mode;
  private TpoSettings settings;
  private CallRecorder recorder;
  private LanguageModel policy;
  private TextGradEngine engine;
  private Instant start;

  TpoLoop(Tpo tpo, TpoRequest request, String runId) {
    this.tpo = tpo;
    this.request = request;
    this.runId = runId;
    this.listener = tpo.listener;
  }

  /**
   * Runs to the end.
   *
   * @return the result
   * @throws RuntimeException what the model or the scorer failed with
   */
  TpoResult run() {
    start = tpo.clock.instant();
    listener.onRunStarted(new RunStarted(runId, request.prompt(), start));
    try {
      TpoResult result = optimize();
      listener.onRunCompleted(
          new RunCompleted(runId, result.bestScore(), result.usage(), result.elapsed()));
      return result;
    } catch (RuntimeException | Error e) {
      listener.onRunFailed(new RunFailed(runId, e, elapsed()));
      throw e;
    }
  }

  private TpoResult optimize() {
    // 1. Settings and models.
    mode = request.mode().orElse(tpo.mode);
    settings = tpo.settings.overrideWith(request.settings());
    if (!mode.refines() && settings.iterations() != 0) {
      settings = settings.toBuilder().iterations(0).build();
    }
    recorder = new CallRecorder(tpo.clock, this::recorded, this::failed);
    List<ModelInterceptor> interceptors = List.of(
        new SettingsDefaults(settings.temperature(), settings.topP(), settings.seed(),
            settings.maxTokens()),
        new ContextFit(settings.maxContextTokens(), tpo.tokenCounter),
        recorder);
    policy = ModelInterceptor.wrap(tpo.policy, interceptors);
    LanguageModel critic = ModelInterceptor.wrap(tpo.critic, interceptors);
    engine = TextGradEngine.builder()
        .forwardModel(policy)
        .backwardModel(critic)
        .templates(tpo.prompts)
        .tokenCounter(tpo.tokenCounter)
        .contextBudgetTokens(contextBudget(settings))
        .build();

    // 2. Sampling: N answers in one request, scored, into the pool.
    CallRecord sampling = sample();

    // 3. D rounds of loss, gradient and update.
    List<RoundRecord> rounds = new ArrayList<>();
    StopReason stop = StopReason.COMPLETED;
    String detail = "";
    int total = settings.iterations();
    EarlyStop early = new EarlyStop(pool.best().score());
    for (int round = 1; round <= total; round++) {
      Optional<Limit> limit = limitReached().or(() -> early.reached(pool.best().score()));
      if (limit.isPresent()) {
        stop = limit.get().reason();
        detail = limit.get().detail() + " before round " + round + " of " + total;
        break;
      }
      RoundRecord record;
      try {
        record = refine(round);
      } catch (ContextFullException full) {
        stop = StopReason.CONTEXT_FULL;
        detail = full.getMessage() + " (round " + round + " of " + total + ")";
        warn(round, "refining stopped: " + full.getMessage() + "; the best answer so far stands");
        break;
      }
      rounds.add(record);
      if (record.status() == RoundStatus.STOPPED) {
        Limit l = limitReached().orElseThrow();
        stop = l.reason();
        detail = l.detail() + " during round " + round + " of " + total;
        break;
      }
    }

    // 4. The answer: the best of the whole pool.
    PoolEntry best = pool.best();
    synchronized (phases) {
      return new TpoResult(runId, request.prompt(), mode.name(), settings, best.text(),
          best.score(), best.index(), pool.entries(), sampling, rounds, phases, elapsed().toMillis(), stop,
          detail, warnings);
    }
  }

  /** Sampling: one request for N answers, scored in one batch and added to the pool. */
  private CallRecord sample() {
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(ChatMessage.system(request.systemPrompt()
        .orElse(tpo.prompts.get(PromptTemplates.SAMPLING_SYSTEM).text())));
    messages.addAll(request.history());
    messages.add(ChatMessage.user(request.prompt()));
    started(Phase.SAMPLING, 0);
    ChatRequest chat = ChatRequest.builder()
        .messages(messages)
        .n(settings.samples())
        .tag(CallTag.class, new CallTag(Phase.SAMPLING, 0))
        .build();
    EarlyScores early = earlyScores(c -> Optional.of(c.text()));
    List<ChatChoice> choices = (early == null ? policy.chat(chat)
        : Futures.join(policy.chatAsync(chat, early))).choices();
    if (choices.isEmpty()) {
      throw new MalformedResponseException(
          "the policy model '" + tpo.policy.name() + "' returned no choice for the sampling"
              + " request with n=" + settings.samples(), "");
    }
    if (choices.size() != settings.samples()) {
      warn(0, "the sampling request asked for n=" + settings.samples() + " but the model returned "
          + choices.size() + " choices; the run goes on with them");
    }
    List<Sample> candidates = new ArrayList<>();
    for (ChatChoice c : choices) {
      candidates.add(new Sample(c.text(), c.truncated()));
    }
    scoreAndAdd(0, candidates, early);
    return recorder.calls().get(0);
  }

  /**
   * One refinement round on the TextGrad engine: the response as a {@link Variable} whose value is
   * the chosen text, the loss as an {@link LlmTextLoss} whose instruction quotes the query and the
   * rejected response, {@code backward()} for the gradient, and {@code propose(N)} of textual
   * gradient descent for N new candidates.
   */
  private RoundRecord refine(int round) {
    int firstCall = recorder.callCount();
    PoolEntry chosen = pool.best();
    PoolEntry rejected = pool.worst();
    Integer rejectedIndex = mode.usesRejected() ? rejected.index() : null;
    listener.onRoundStarted(new RoundStarted(runId, round, chosen.score(), rejected.score()));
    Round r = new Round(round, chosen.index(), rejectedIndex, firstCall);

    // Forward: the loss, a critique of the chosen response against the rejected one.
    int cut = settings.responseTruncationTokens();
    String chosenText = tpo.tokenCounter.truncate(chosen.text(), cut);
    String rejectedText =
        rejectedIndex == null ? null : tpo.tokenCounter.truncate(rejected.text(), cut);
    Variable response = Variable.parameter(chosenText, mode.responseRole());
    TextGradEngine roundEngine = engine.withTag(new CallTag(Phase.LOSS, round));
    SharedPrompts shared = settings.promptLayout() == PromptLayout.PREFIX_SHARED
        ? new SharedPrompts(tpo.prompts, mode, ValueTags.DEFAULT, request.prompt(), rejectedText,
            chosenText)
        : null;
    started(Phase.LOSS, round);
    Variable loss = null;
    if (shared == null) {
      String instruction = mode.lossInstruction(tpo.prompts, request.prompt(), rejectedText);
      loss = LlmTextLoss.builder(roundEngine).instruction(instruction).build()
          .evaluate(response);
      r.loss = loss.value();
    } else {
      r.loss = critic(roundEngine, Phase.LOSS, shared.loss());
    }
    listener.onLossComputed(new LossComputed(runId, round, r.loss));
    if (limitReached().isPresent()) {
      return r.record(RoundStatus.STOPPED, List.of(), List.of(), "stopped after the loss");
    }

    // Backward: the textual gradient on the response (requests tagged GRADIENT).
    started(Phase.GRADIENT, round);
    if (shared == null) {
      loss.backward();
    } else {
      response.addGradient(TextualGradient.direct(response,
          critic(roundEngine, Phase.GRADIENT, shared.gradient(r.loss)).strip()));
    }
    r.gradient = response.gradients().stream().map(TextualGradient::feedback)
        .collect(Collectors.joining("\n\n"));
    listener.onGradientComputed(new GradientComputed(runId, round, r.gradient));
    if (limitReached().isPresent()) {
      return r.record(RoundStatus.STOPPED, List.of(), List.of(), "stopped after the gradient");
    }

    // Step: N rewritten responses from the policy (requests tagged UPDATE), scored into the pool.
    int n = settings.samples();
    String evaluation = r.loss;
    String feedback = r.gradient;
    TextualGradientDescent descent = TextualGradientDescent.builder(roundEngine)
        .model(roundEngine.forwardModel())
        .sampling(roundEngine.forwardSampling())
        .constraints(mode.constraints())
        .tags(ValueTags.DEFAULT)
        .updateMessages(shared == null ? null : (p, history) -> shared.update(evaluation, feedback))
        .build();
    EarlyScores early = null;
    if (tpo.streamScoring) {
      // Score each update choice's new value as soon as that choice has finished.
      ValueTags tags = descent.tags();
      boolean valueContainsTags = tags.occursIn(response.value());
      EarlyScores scores = earlyScores(choice -> tags.parse(choice.text(), valueContainsTags)
          .map(ValueTags.Parsed::value).filter(v -> !v.isEmpty()));
      early = scores;
      descent = descent.toBuilder().model(reportingTo(roundEngine.forwardModel(), scores))
          .build();
    }
    started(Phase.UPDATE, round);
    Proposal proposal;
    try {
      proposal = descent.optimizer(response).propose(n);
    } catch (NoCandidateException e) {
      List<String> raw = e.dropped().stream().map(DroppedChoice::rawText).toList();
      listener.onCandidatesProposed(new CandidatesProposed(runId, round, 0, raw.size()));
      String note = "every one of the " + n + " update choices was unparsable; the round added"
          + " no candidate and the best response so far stands";
      warn(round, note);
      return r.record(RoundStatus.FAILED_UNPARSABLE, List.of(), raw, note);
    }
    List<String> dropped = proposal.dropped().stream().map(DroppedChoice::rawText).toList();
    listener.onCandidatesProposed(
        new CandidatesProposed(runId, round, proposal.candidates().size(), dropped.size()));
    if (!dropped.isEmpty()) {
      warn(round, dropped.size() + " of " + n + " update choices were unparsable and dropped");
    }
    List<Sample> candidates = new ArrayList<>();
    for (dev.tpo.textgrad.optim.Candidate c : proposal.candidates()) {
      candidates.add(new Sample(
          c.value(), !c.complete() || c.finishReason() == FinishReason.LENGTH));
    }
    List<PoolEntry> added = scoreAndAdd(round, candidates, early);
    return r.record(RoundStatus.COMPLETED, added.stream().map(PoolEntry::index).toList(), dropped,
        "");
  }

  /**
   * One loss or gradient request of the {@link PromptLayout#PREFIX_SHARED} layout, n=1, to the
   * critic with the engine's backward sampling, as the engine sends the reference's.
   */
  private static String critic(TextGradEngine roundEngine, Phase phase, List<ChatMessage> messages) {
    ChatRequest chat = roundEngine.backwardSampling().applyTo(roundEngine.tagRequest(
        ChatRequest.builder().messages(messages).n(1), phase)).build();
    return ModelRequests.sendAll(roundEngine.backwardModel(), List.of(chat)).get(0).text();
  }

  /** What a round has gathered so far, turned into its {@link RoundRecord} when it ends. */
  private final class Round {
    final int number;
    final int chosenIndex;
    final Integer rejectedIndex;
    final int firstCall;
    String loss;
    String gradient;

    Round(int number, int chosenIndex, Integer rejectedIndex, int firstCall) {
      this.number = number;
      this.chosenIndex = chosenIndex;
      this.rejectedIndex = rejectedIndex;
      this.firstCall = firstCall;
    }

    RoundRecord record(RoundStatus status, List<Integer> added, List<String> dropped,
        String note) {
      return new RoundRecord(number, status, chosenIndex, rejectedIndex,
          recorder.callsSince(firstCall), loss, gradient, added, dropped, note);
    }
  }

  /**
   * A candidate text before scoring.
   *
   * @param text the full text
   * @param truncated whether the model stopped at its token limit
   */
  record Sample(String text, boolean truncated) {}

  /**
   * A candidate with its score.
   *
   * @param text the full text
   * @param score its score
   * @param truncated whether the model stopped at its token limit
   */
  record Scored(String text, double score, boolean truncated) {}

  /**
   * Scores a round's candidates in one batch (identical texts once) and adds them to the pool;
   * a text already in the pool from the same round is not added again.
   */
  private List<PoolEntry> scoreAndAdd(int round, List<Sample> candidates, EarlyScores early) {
    Map<String, Boolean> unique = new LinkedHashMap<>();
    for (Sample c : candidates) {
      unique.merge(c.text(), c.truncated(), (a, b) -> a && b);
    }
    List<String> texts = new ArrayList<>(unique.keySet());
    started(Phase.SCORING, round);
    Instant t0 = tpo.clock.instant();
    ScoredBatch batch;
    int scoringRequests = 1;
    try {
      if (early == null) {
        batch = tpo.checkedScorer.scoreAll(request.prompt(), texts);
      } else {
        EarlyScores.Joined joined = early.join(texts);
        batch = joined.batch();
        scoringRequests = joined.requests();
        t0 = tpo.clock.instant().minus(joined.took());
      }
    } catch (RuntimeException e) {
      Throwable t = Futures.unwrap(e);
      if (t instanceof TpoException) {
        throw (TpoException) t;
      }
      throw new RewardScoringException("reward scorer '" + tpo.scorer.name() + "' failed on"
          + " round " + round + " with " + t.getClass().getName()
          + (t.getMessage() == null ? "" : ": " + t.getMessage())
          + "; fix the scorer or its server, then run the prompt again", t);
    }
    Duration took = Duration.between(t0, tpo.clock.instant());
    TokenUsage usage = batch.usage();
    addPhase(Phase.SCORING, new PhaseStats(
        new TokenUsage(usage.promptTokens(), usage.completionTokens(), scoringRequests),
        Math.max(0, took.toMillis())));
    listener.onPhaseCompleted(
        new PhaseCompleted(runId, round, Phase.SCORING, usage, took, tpo.scorer.name()));
    List<Double> scores = batch.scores();
    List<Scored> scored = new ArrayList<>();
    int cutOff = 0;
    for (int i = 0; i < texts.size(); i++) {
      boolean truncated = unique.get(texts.get(i));
      cutOff += truncated ? 1 : 0;
      scored.add(new Scored(texts.get(i), scores.get(i), truncated));
    }
    List<PoolEntry> added = pool.addRound(round, scored);
    listener.onCandidatesScored(new CandidatesScored(runId, round, scores, pool.best().score()));
    for (String w : batch.warnings()) {
      warn(round, w); // a scorer that degraded without failing (a judge that found no rating)
    }
    if (cutOff > 0) {
      warn(round, cutOff + " candidate(s) of round " + round + " stopped at the token limit ("
          + settings.maxTokens() + " tokens) and may be incomplete");
    }
    return added;
  }

  /**
   * Scoring while sampling for one request, when the {@link Tpo} has it on: a listener that scores
   * each finished choice's candidate at once.
   *
   * @param candidate the candidate text of a finished choice, if it gives one
   * @return the listener, or null when streaming scoring is off
   */
  private EarlyScores earlyScores(
      java.util.function.Function<ChatChoice, Optional<String>> candidate) {
    return tpo.streamScoring ? new EarlyScores(tpo.checkedScorer, request.prompt(),
        DefaultExecutor.get(), tpo.clock, candidate) : null;
  }

  /**
   * The model as seen by the update step when scoring while sampling: a request for several
   * choices (the update request) reports its choices to the listener as they finish; single
   * choices (reformat requests) go as they are.
   */
  private static LanguageModel reportingTo(LanguageModel model, EarlyScores listener) {
    return new LanguageModel() {
      @Override
      public java.util.concurrent.CompletableFuture<dev.tpo.core.model.ChatResponse> chatAsync(
          ChatRequest request) {
        return request.n() > 1 ? model.chatAsync(request, listener) : model.chatAsync(request);
      }

      @Override
      public String name() {
        return model.name();
      }

      @Override
      public String servedBy(dev.tpo.core.model.ChatResponse response) {
        return model.servedBy(response);
      }
    };
  }

  /**
   * Every scored candidate of a run, in the order added, indexed by position (never keyed by joined
   * strings); best and worst are over the whole pool, ties to the earliest. Not thread-safe.
   */
  static final class Pool {
    private final List<PoolEntry> entries = new ArrayList<>();

    /** Adds a round's scored candidates; a text already added in the same round is skipped. */
    List<PoolEntry> addRound(int round, List<Scored> scored) {
      Set<String> seenThisRound = new HashSet<>();
      for (PoolEntry e : entries) {
        if (e.round() == round) {
          seenThisRound.add(e.text());
        }
      }
      List<PoolEntry> added = new ArrayList<>();
      for (Scored c : scored) {
        if (seenThisRound.add(c.text())) {
          PoolEntry e = new PoolEntry(entries.size(), round, c.text(), c.score(), c.truncated());
          entries.add(e);
          added.add(e);
        }
      }
      return added;
    }

    PoolEntry best() {
      PoolEntry best = first();
      for (PoolEntry e : entries) {
        if (e.score() > best.score()) {
          best = e;
        }
      }
      return best;
    }

    PoolEntry worst() {
      PoolEntry worst = first();
      for (PoolEntry e : entries) {
        if (e.score() < worst.score()) {
          worst = e;
        }
      }
      return worst;
    }

    List<PoolEntry> entries() {
      return List.copyOf(entries);
    }

    int size() {
      return entries.size();
    }

    private PoolEntry first() {
      if (entries.isEmpty()) {
        throw new IllegalStateException("the pool is empty: no candidate has been scored yet");
      }
      return entries.get(0);
    }
  }

  /**
   * Why a run must stop refining.
   *
   * @param reason the reason
   * @param detail what was reached
   */
  private record Limit(StopReason reason, String detail) {}

  /**
   * The opt-in early stops, asked before each round: the best score at the scorer's maximum
   * ({@link TpoSettings#stopAtMaxScore()}), or no rise above the margin for k rounds in a row
   * ({@link TpoSettings#earlyStopRounds()}). Not thread-safe.
   */
  private final class EarlyStop {
    private final java.util.OptionalDouble max;
    private double lastImproved;
    private int stale = -1; // the call before round 1 follows no round

    EarlyStop(double start) {
      this.lastImproved = start;
      this.max = Boolean.TRUE.equals(settings.stopAtMaxScore())
          ? tpo.scorer.maxScore() : java.util.OptionalDouble.empty();
    }

    /** Called once before each round with the pool's best score. */
    Optional<Limit> reached(double best) {
      if (best > lastImproved + marginOrZero()) {
        lastImproved = best;
        stale = 0;
      } else {
        stale++;
      }
      if (max.isPresent() && best >= max.getAsDouble()) {
        return Optional.of(new Limit(StopReason.MAX_SCORE, "the best score " + best
            + " reached the scorer's maximum " + max.getAsDouble()));
      }
      int k = settings.earlyStopOn() ? settings.earlyStopRounds() : 0;
      if (k > 0 && stale >= k) {
        return Optional.of(new Limit(StopReason.NO_IMPROVEMENT, "the best score " + lastImproved
            + " did not rise by more than " + marginOrZero() + " in the last " + stale
            + " round(s) (early stop after " + k + ")"));
      }
      return Optional.empty();
    }

    private double marginOrZero() {
      Double m = settings.earlyStopMargin();
      return m == null ? 0 : m;
    }
  }

  private Optional<Limit> limitReached() {
    Optional<Long> budget = settings.tokenBudgetIfSet();
    long spent = totalTokens();
    if (budget.isPresent() && spent >= budget.get()) {
      return Optional.of(new Limit(StopReason.TOKEN_BUDGET, "the token budget of " + budget.get()
          + " was spent (" + spent + " tokens used)"));
    }
    Optional<Duration> limit = settings.timeLimit();
    if (limit.isPresent() && elapsed().compareTo(limit.get()) >= 0) {
      return Optional.of(new Limit(StopReason.TIME_LIMIT, "the time limit of " + limit.get()
          + " was reached (" + elapsed() + " elapsed)"));
    }
    return Optional.empty();
  }

  private void warn(int round, String message) {
    warnings.add("round " + round + ": " + message);
    listener.onWarning(new RunWarning(runId, round, message));
  }

  /** Called by the recorder for each model request (on the thread that completed it). */
  private void recorded(CallRecord call) {
    addPhase(call.phase(), new PhaseStats(call.usage(), call.elapsedMillis()));
    listener.onPhaseCompleted(new PhaseCompleted(runId, call.round(), call.phase(), call.usage(),
        Duration.ofMillis(call.elapsedMillis()), call.model()));
  }

  /**
   * Called by the recorder for each model request that failed (on the thread that failed it): the
   * request counts in the run's usage and reaches the listener as a {@link PhaseFailed}, so that a
   * run that then fails still has its requests counted.
   */
  private void failed(CallFailure call) {
    if (call.phase() != null) {
      addPhase(call.phase(), new PhaseStats(call.usage(), call.elapsedMillis()));
    }
    listener.onPhaseFailed(new PhaseFailed(runId, call.round(), call.phase(), call.usage(),
        Duration.ofMillis(call.elapsedMillis()), call.model(), call.error()));
  }

  private void started(Phase phase, int round) {
    listener.onPhaseStarted(new PhaseStarted(runId, round, phase));
  }

  private void addPhase(Phase phase, PhaseStats stats) {
    synchronized (phases) {
      phases.merge(phase, stats, PhaseStats::plus);
    }
  }

  private long totalTokens() {
    synchronized (phases) {
      return phases.values().stream().mapToLong(s -> s.usage().totalTokens()).sum();
    }
  }

  private Duration elapsed() {
    Duration d = Duration.between(start, tpo.clock.instant());
    return d.isNegative() ? Duration.ZERO : d;
  }

  /**
   * The budget of the contexts (the loss's system prompt and output) shown in the gradient and
   * update prompts: what the context window leaves after the response ({@code maxTokens}), the
   * response being optimized ({@code responseTruncationTokens}) and an allowance for the templates
   * and the feedback; at least {@value #MIN_CONTEXT_BUDGET_TOKENS}. Longer contexts are shortened
   * by the engine so the update request keeps room for its answers.
   */
  static int contextBudget(TpoSettings s) {
    long left = (long) s.maxContextTokens() - s.maxTokens() - s.responseTruncationTokens()
        - PROMPT_ALLOWANCE_TOKENS;
    return (int) Math.max(MIN_CONTEXT_BUDGET_TOKENS, Math.min(Integer.MAX_VALUE, left));
  }
}
