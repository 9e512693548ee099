package dev.tpo.loop;

import dev.tpo.CallRecord;
import dev.tpo.PoolEntry;
import dev.tpo.RoundRecord;
import dev.tpo.RoundStatus;
import dev.tpo.StopReason;
import dev.tpo.TpoMode;
import dev.tpo.TpoRequest;
import dev.tpo.TpoResult;
import dev.tpo.TpoSettings;
import dev.tpo.core.error.Futures;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.error.RewardScoringException;
import dev.tpo.core.error.TpoException;
import dev.tpo.core.event.CandidatesScored;
import dev.tpo.core.event.Phase;
import dev.tpo.core.event.PhaseCompleted;
import dev.tpo.core.event.PhaseStarted;
import dev.tpo.core.event.RunCompleted;
import dev.tpo.core.event.RunFailed;
import dev.tpo.core.event.RunStarted;
import dev.tpo.core.event.RunWarning;
import dev.tpo.core.event.TpoListener;
import dev.tpo.core.model.ChatChoice;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.reward.ScoredBatch;
import dev.tpo.textgrad.TextGradEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One TPO run for one prompt, on the thread that calls {@link #execute()}: sampling (one request,
 * n=N), scoring (one batch per round), then up to D refinement rounds (loss, gradient, update with
 * n=N, scoring), then the best of the whole pool. Checks the token budget and the time limit before
 * every model request of a round and stops refining, keeping the best answer so far, when one is
 * reached.
 *
 * <p>Not thread-safe: one instance is one run, used once.
 */
public final class TpoRun {
  private final RunConfig config;
  private final TpoRequest request;
  private final String runId;
  private final TpoListener listener;
  private final List<String> warnings = new ArrayList<>();
  private final Pool pool = new Pool();
  private TpoSettings settings;
  private CallRecorder recorder;
  private Instant start;

  /**
   * Prepares a run.
   *
   * @param config the {@link dev.tpo.Tpo}'s configuration
   * @param request the request
   * @param runId the run's id
   */
  public TpoRun(RunConfig config, TpoRequest request, String runId) {
    this.config = config;
    this.request = request;
    this.runId = runId;
    this.listener = config.listener();
  }

  /**
   * Runs to the end.
   *
   * @return the result
   * @throws RuntimeException what the model or the scorer failed with
   */
  public TpoResult execute() {
    start = config.clock().instant();
    listener.onRunStarted(new RunStarted(runId, request.prompt(), start));
    try {
      TpoResult result = run();
      listener.onRunCompleted(
          new RunCompleted(runId, result.bestScore(), result.usage(), result.elapsed()));
      return result;
    } catch (RuntimeException | Error e) {
      listener.onRunFailed(new RunFailed(runId, e, elapsed()));
      throw e;
    }
  }

  private TpoResult run() {
    TpoMode mode = request.mode().orElse(config.mode());
    settings = request.resolve(config.settings());
    if (!mode.refines() && settings.iterations() != 0) {
      settings = withoutRounds(settings);
    }
    recorder = new CallRecorder(config.clock(), settings, config.tokenCounter(), this::called,
        (phase, round) -> listener.onPhaseStarted(new PhaseStarted(runId, round, phase)));
    CallRecord sampling = sample();

    List<RoundRecord> rounds = new ArrayList<>();
    StopReason stop = StopReason.COMPLETED;
    String detail = "";
    int total = settings.iterations();
    RoundContext context = null; // built before the first round, then shared by every round
    for (int round = 1; round <= total; round++) {
      Optional<Limit> limit = limitReached();
      if (limit.isPresent()) {
        stop = limit.get().reason();
        detail = limit.get().detail() + " before round " + round + " of " + total;
        break;
      }
      if (context == null) {
        context = roundContext(mode);
      }
      RoundRecord record;
      try {
        record = new Refinement(context, round).run();
      } catch (RuntimeException e) {
        ContextFullException full = ContextFullException.in(e);
        if (full == null) {
          throw e;
        }
        stop = StopReason.CONTEXT_FULL;
        detail = full.getMessage() + " (round " + round + " of " + total + ")";
        warn(round, "refining stopped: " + full.getMessage()
            + "; the best answer so far stands");
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
    PoolEntry best = pool.best();
    return new TpoResult(runId, request.prompt(), mode.name(), settings, best.text(), best.score(),
        best.index(), pool.entries(), sampling, rounds, recorder.stats(), elapsed().toMillis(),
        stop, detail, warnings);
  }

  /** What every round of this run shares, the engine and the update step included. */
  private RoundContext roundContext(TpoMode mode) {
    TextGradEngine engine = Refinement.engine(config, settings, recorder);
    return new RoundContext(config, request.prompt(), runId, settings, mode, recorder, engine,
        Refinement.descent(engine, mode), pool, this::limitReached, this::warn,
        this::scoreAndAdd);
  }

  /** The settings a mode without refinement really runs with: no rounds. */
  private static TpoSettings withoutRounds(TpoSettings s) {
    return new TpoSettings(s.samples(), 0, s.temperature(), s.topP(), s.seed(), s.maxTokens(),
        s.maxContextTokens(), s.responseTruncationTokens(), s.tokenBudget(), s.timeLimitMillis());
  }

  private CallRecord sample() {
    recorder.enter(Phase.SAMPLING, 0);
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(ChatMessage.system(
        request.systemPrompt().orElse(config.prompts().samplingSystem())));
    messages.addAll(request.history());
    messages.add(ChatMessage.user(request.prompt()));
    ChatRequest chat = ChatRequest.builder()
        .messages(messages)
        .n(settings.samples())
        .temperature(settings.temperature())
        .topP(settings.topP())
        .seed(settings.seed())
        .maxTokens(settings.maxTokens())
        .build();
    ChatResponse response = recorder.wrap(config.policy()).chat(chat);
    List<ChatChoice> choices = response.choices();
    if (choices.isEmpty()) {
      throw new MalformedResponseException(
          "the policy model '" + config.policy().name() + "' returned no choice for the sampling"
              + " request with n=" + settings.samples(), "");
    }
    if (choices.size() != settings.samples()) {
      warn(0, "the sampling request asked for n=" + settings.samples() + " but the model returned "
          + choices.size() + " choices; the run goes on with them");
    }
    List<Scored> texts = new ArrayList<>();
    for (ChatChoice c : choices) {
      texts.add(new Scored(c.text(), c.truncated()));
    }
    scoreAndAdd(0, texts);
    return recorder.calls().get(0);
  }

  /**
   * A candidate text before scoring.
   *
   * @param text the full text
   * @param truncated whether the model stopped at its token limit
   */
  record Scored(String text, boolean truncated) {}

  /**
   * Scores a round's candidates in one batch (identical texts once) and adds them to the pool.
   *
   * @param round the round
   * @param candidates the candidates, in order
   * @return the pool entries added
   */
  List<PoolEntry> scoreAndAdd(int round, List<Scored> candidates) {
    Map<String, Boolean> unique = new LinkedHashMap<>();
    for (Scored c : candidates) {
      unique.merge(c.text(), c.truncated(), (a, b) -> a && b);
    }
    List<String> texts = new ArrayList<>(unique.keySet());
    recorder.enter(Phase.SCORING, round);
    Instant t0 = config.clock().instant();
    ScoredBatch batch;
    try {
      batch = config.scorer().scoreAll(request.prompt(), texts);
    } catch (RuntimeException e) {
      Throwable t = Futures.unwrap(e);
      if (t instanceof TpoException) {
        throw (TpoException) t;
      }
      throw new RewardScoringException("reward scorer '" + config.scorer().name() + "' failed on"
          + " round " + round + " with " + t.getClass().getName()
          + (t.getMessage() == null ? "" : ": " + t.getMessage())
          + "; fix the scorer or its server, then run the prompt again", t);
    }
    Duration took = Duration.between(t0, config.clock().instant());
    List<Double> scores = batch.scores();
    recorder.recordScoring(took, batch.usage());
    listener.onPhaseCompleted(new PhaseCompleted(runId, round, Phase.SCORING,
        batch.usage(), took, config.scorer().name()));
    List<Pool.Candidate> scored = new ArrayList<>();
    int cutOff = 0;
    for (int i = 0; i < texts.size(); i++) {
      boolean truncated = unique.get(texts.get(i));
      cutOff += truncated ? 1 : 0;
      scored.add(new Pool.Candidate(texts.get(i), scores.get(i), truncated));
    }
    List<PoolEntry> added = pool.addRound(round, scored);
    listener.onCandidatesScored(
        new CandidatesScored(runId, round, scores, pool.best().score()));
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
   * Why a run must stop refining.
   *
   * @param reason the reason
   * @param detail what was reached
   */
  record Limit(StopReason reason, String detail) {}

  Optional<Limit> limitReached() {
    Optional<Long> budget = settings.tokenBudgetIfSet();
    if (budget.isPresent() && recorder.totalTokens() >= budget.get()) {
      return Optional.of(new Limit(StopReason.TOKEN_BUDGET, "the token budget of " + budget.get()
          + " was spent (" + recorder.totalTokens() + " tokens used)"));
    }
    Optional<Duration> limit = settings.timeLimit();
    if (limit.isPresent() && elapsed().compareTo(limit.get()) >= 0) {
      return Optional.of(new Limit(StopReason.TIME_LIMIT, "the time limit of " + limit.get()
          + " was reached (" + elapsed() + " elapsed)"));
    }
    return Optional.empty();
  }

  void warn(int round, String message) {
    warnings.add("round " + round + ": " + message);
    listener.onWarning(new RunWarning(runId, round, message));
  }

  private void called(CallRecord call) {
    listener.onPhaseCompleted(new PhaseCompleted(runId, call.round(), call.phase(), call.usage(),
        Duration.ofMillis(call.elapsedMillis()), call.model()));
  }

  private Duration elapsed() {
    Duration d = Duration.between(start, config.clock().instant());
    return d.isNegative() ? Duration.ZERO : d;
  }
}
