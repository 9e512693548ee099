package dev.tpo.loop;

import dev.tpo.CallRecord;
import dev.tpo.PhaseStats;
import dev.tpo.TpoSettings;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.event.Phase;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.model.TokenUsage;
import dev.tpo.core.text.TokenCounter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Watches every model request of one run: a {@link LanguageModel} decorator ({@link #wrap}) that
 * tags each request with the phase and round the loop is in, records it with its response as a
 * {@link CallRecord}, and adds its usage and wall time to per-phase stats. It also completes the
 * requests the engine sends: settings left unset (seed, temperature, top_p, max tokens) get the
 * run's values, so loss and gradient calls are seeded too, and {@code max_tokens} is lowered when
 * prompt plus response would not fit {@code maxContextTokens}.
 *
 * <p>Thread-safe; normally driven by the one thread of its run.
 */
public final class CallRecorder {
  /** Tokens counted per message for role markers and separators. */
  private static final int TOKENS_PER_MESSAGE = 4;

  private final Clock clock;
  private final TpoSettings settings;
  private final TokenCounter counter;
  private final Consumer<CallRecord> onCall;
  private final BiConsumer<Phase, Integer> onEnter;
  private final List<CallRecord> calls = new ArrayList<>();
  private final Map<Phase, PhaseStats> stats = new EnumMap<>(Phase.class);
  private volatile Phase phase = Phase.SAMPLING;
  private volatile int round;

  /**
   * Creates a recorder for one run.
   *
   * @param clock the clock for wall times
   * @param settings the run's settings
   * @param counter the token counter for the context check
   * @param onCall called with each recorded call (for events); must not throw
   */
  public CallRecorder(
      Clock clock, TpoSettings settings, TokenCounter counter, Consumer<CallRecord> onCall) {
    this(clock, settings, counter, onCall, (phase, round) -> { });
  }

  /**
   * Creates a recorder for one run that also reports each phase it enters.
   *
   * @param clock the clock for wall times
   * @param settings the run's settings
   * @param counter the token counter for the context check
   * @param onCall called with each recorded call (for events); must not throw
   * @param onEnter called with the phase and round on each {@link #enter}; must not throw
   */
  public CallRecorder(Clock clock, TpoSettings settings, TokenCounter counter,
      Consumer<CallRecord> onCall, BiConsumer<Phase, Integer> onEnter) {
    this.clock = clock;
    this.settings = settings;
    this.counter = counter;
    this.onCall = onCall;
    this.onEnter = onEnter;
  }

  /**
   * Sets the phase and round the next requests belong to.
   *
   * @param phase the phase
   * @param round the round
   */
  public void enter(Phase phase, int round) {
    this.phase = phase;
    this.round = round;
    onEnter.accept(phase, round);
  }

  /**
   * Wraps a model so its requests are completed, recorded and counted.
   *
   * @param model the model
   * @return the recording model
   */
  public LanguageModel wrap(LanguageModel model) {
    return new LanguageModel() {
      @Override
      public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        return send(model, request);
      }

      @Override
      public String name() {
        return model.name();
      }

      @Override
      public String servedBy(ChatResponse response) {
        return model.servedBy(response);
      }
    };
  }

  private CompletableFuture<ChatResponse> send(LanguageModel model, ChatRequest request) {
    Phase p = phase;
    int r = round;
    ChatRequest completed = complete(request);
    Instant start = clock.instant();
    return model.chatAsync(completed).thenApply(response -> {
      long millis = Math.max(0, Duration.between(start, clock.instant()).toMillis());
      CallRecord call = CallRecord.of(p, r, model.servedBy(response), completed, response, millis);
      synchronized (this) {
        calls.add(call);
        stats.merge(p, new PhaseStats(response.usage(), millis), PhaseStats::plus);
      }
      onCall.accept(call);
      return response;
    });
  }

  /**
   * Fills the settings the request left unset with the run's values and fits {@code max_tokens}
   * into the context.
   *
   * @param request the request as built by the loop or the engine
   * @return the request to send
   * @throws ConfigurationException ({@link ContextFullException}) when the prompt alone fills
   *     the context
   */
  ChatRequest complete(ChatRequest request) {
    ChatRequest.Builder b = request.toBuilder();
    if (request.seed().isEmpty()) {
      b.seed(settings.seed());
    }
    if (request.temperature().isEmpty()) {
      b.temperature(settings.temperature());
    }
    if (request.topP().isEmpty()) {
      b.topP(settings.topP());
    }
    int wanted = request.maxTokens().orElse(settings.maxTokens());
    long promptTokens = 0;
    for (ChatMessage m : request.messages()) {
      promptTokens += counter.count(m.content()) + TOKENS_PER_MESSAGE;
    }
    long room = settings.maxContextTokens() - promptTokens;
    if (room < 1) {
      throw new ContextFullException(
          "the " + phase.name().toLowerCase(java.util.Locale.ROOT) + " prompt takes about "
              + promptTokens + " tokens, which fills maxContextTokens="
              + settings.maxContextTokens() + " (--max-tokens-all of the tpo command); raise it,"
              + " lower responseTruncationTokens or shorten the query");
    }
    b.maxTokens((int) Math.min(wanted, room));
    return b.build();
  }

  /**
   * Records one scoring call.
   *
   * @param elapsed its wall time
   * @param usage the language-model usage of the scoring (an LLM judge's), {@link TokenUsage#ZERO}
   *     for a reward model; its tokens count towards the run's token budget
   */
  public synchronized void recordScoring(Duration elapsed, TokenUsage usage) {
    stats.merge(Phase.SCORING,
        new PhaseStats(new TokenUsage(usage.promptTokens(), usage.completionTokens(), 1),
            Math.max(0, elapsed.toMillis())), PhaseStats::plus);
  }

  /** @return every recorded call so far, in completion order */
  public synchronized List<CallRecord> calls() {
    return List.copyOf(calls);
  }

  /**
   * The calls recorded from a position on.
   *
   * @param from a value of {@link #callCount()} taken earlier
   * @return the calls since then
   */
  public synchronized List<CallRecord> callsSince(int from) {
    return List.copyOf(calls.subList(from, calls.size()));
  }

  /** @return how many calls were recorded */
  public synchronized int callCount() {
    return calls.size();
  }

  /** @return per-phase stats so far (a snapshot) */
  public synchronized Map<Phase, PhaseStats> stats() {
    return new EnumMap<>(stats);
  }

  /** @return tokens spent so far over all model phases */
  public synchronized long totalTokens() {
    long total = 0;
    for (Map.Entry<Phase, PhaseStats> e : stats.entrySet()) {
      total += e.getValue().usage().totalTokens();
    }
    return total;
  }
}
