package dev.tpo.micrometer;

import static dev.tpo.micrometer.TpoMetricNames.BEST_SCORE;
import static dev.tpo.micrometer.TpoMetricNames.ERROR_TYPE;
import static dev.tpo.micrometer.TpoMetricNames.INPUT_TOKENS;
import static dev.tpo.micrometer.TpoMetricNames.MODEL;
import static dev.tpo.micrometer.TpoMetricNames.OPERATION;
import static dev.tpo.micrometer.TpoMetricNames.OUTCOME;
import static dev.tpo.micrometer.TpoMetricNames.OUTPUT_TOKENS;
import static dev.tpo.micrometer.TpoMetricNames.PHASE;
import static dev.tpo.micrometer.TpoMetricNames.ROUND;
import static dev.tpo.micrometer.TpoMetricNames.RUN_ID;
import static dev.tpo.micrometer.TpoMetricNames.TOKEN_TYPE;

import dev.tpo.core.error.Futures;
import dev.tpo.core.event.Phase;
import dev.tpo.core.event.PhaseCompleted;
import dev.tpo.core.event.PhaseFailed;
import dev.tpo.core.event.PhaseStarted;
import dev.tpo.core.event.RunCompleted;
import dev.tpo.core.event.RunFailed;
import dev.tpo.core.event.RunStarted;
import dev.tpo.core.event.TpoListener;
import dev.tpo.core.model.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link TpoListener} that records TPO runs with Micrometer:
 * <ul>
 *   <li>an {@link Observation} {@value TpoMetricNames#RUN_OBSERVATION} per run and, inside it, one
 *       {@value TpoMetricNames#PHASE_OBSERVATION} per phase (sampling, scoring, loss, gradient,
 *       update), from the phase's start to its end; with Micrometer Tracing's OpenTelemetry bridge
 *       on the {@link ObservationRegistry} a run becomes a trace whose spans carry the GenAI
 *       semantic-convention attributes ({@code gen_ai.request.model}, {@code
 *       gen_ai.usage.input_tokens}, {@code gen_ai.usage.output_tokens}) and a failure's exception;
 *   <li>a {@link Timer} {@value TpoMetricNames#PHASE_DURATION} per phase and model, and {@value
 *       TpoMetricNames#RUN_DURATION} per outcome;
 *   <li>a {@link Counter} {@value TpoMetricNames#TOKENS} by phase, model and token type;
 *   <li>a {@link Counter} {@value TpoMetricNames#RUNS_FAILED} by exception type ({@code
 *       error.type});
 *   <li>a {@link Counter} {@value TpoMetricNames#PHASE_FAILURES} of failed requests by phase,
 *       model and exception type;
 *   <li>a {@link Gauge} {@value TpoMetricNames#RUNS_ACTIVE} of the runs in flight.
 * </ul>
 * Tags and attributes hold model names, phases, counts and exception class names only: never a
 * prompt, an answer, an exception message or a credential.
 *
 * <p>Pass it to {@code Tpo.builder().listener(...)} (combine several with {@link
 * TpoListener#composite}). Thread-safe: one instance records any number of concurrent runs; create
 * one per registry and share it.
 */
public final class MicrometerTpoListener implements TpoListener {
  private final MeterRegistry meters;
  private final ObservationRegistry observations;
  private final AtomicInteger active = new AtomicInteger();
  private final Map<String, RunState> runs = new ConcurrentHashMap<>();

  private MicrometerTpoListener(MeterRegistry meters, ObservationRegistry observations) {
    this.meters = meters;
    this.observations = observations;
    Gauge.builder(TpoMetricNames.RUNS_ACTIVE, active, AtomicInteger::get)
        .description("TPO runs in flight")
        .register(meters);
  }

  /**
   * A listener that records meters only (no observations).
   *
   * @param meters where the timers, counters and the gauge go
   * @return the listener
   */
  public static MicrometerTpoListener of(MeterRegistry meters) {
    return of(meters, ObservationRegistry.NOOP);
  }

  /**
   * A listener that records meters and observations.
   *
   * @param meters where the timers, counters and the gauge go
   * @param observations where the run and phase observations go ({@link ObservationRegistry#NOOP}
   *     for none)
   * @return the listener
   */
  public static MicrometerTpoListener of(MeterRegistry meters, ObservationRegistry observations) {
    return new MicrometerTpoListener(Objects.requireNonNull(meters, "meters"),
        Objects.requireNonNull(observations, "observations"));
  }

  @Override
  public void onRunStarted(RunStarted event) {
    active.incrementAndGet();
    Observation run = Observation.createNotStarted(TpoMetricNames.RUN_OBSERVATION, observations)
        .contextualName(TpoMetricNames.RUN_OBSERVATION)
        .lowCardinalityKeyValue(MODEL, TpoMetricNames.UNKNOWN_MODEL)
        .highCardinalityKeyValue(RUN_ID, event.runId())
        .start();
    runs.put(event.runId(), new RunState(run));
  }

  @Override
  public void onPhaseStarted(PhaseStarted event) {
    RunState state = runs.get(event.runId());
    if (state == null) {
      return;
    }
    state.closePhase(null);
    state.phase = startPhase(state, event.phase(), event.round());
    state.phaseKind = event.phase();
  }

  @Override
  public void onPhaseCompleted(PhaseCompleted event) {
    String phase = phaseName(event.phase());
    String model = event.model().isEmpty() ? TpoMetricNames.UNKNOWN_MODEL : event.model();
    Tags tags = Tags.of(PHASE, phase, MODEL, model);
    Timer.builder(TpoMetricNames.PHASE_DURATION)
        .description("Wall time of a TPO phase's model or scoring call")
        .tags(tags)
        .register(meters)
        .record(event.elapsed());
    TokenUsage usage = event.usage();
    tokens(tags, "input").increment(usage.promptTokens());
    tokens(tags, "output").increment(usage.completionTokens());

    RunState state = runs.get(event.runId());
    if (state == null) {
      return;
    }
    if (event.phase() == Phase.SAMPLING) {
      state.model = model;
    }
    state.models.put(event.phase(), model);
    Observation observation = state.phase != null && state.phaseKind == event.phase()
        ? state.phase
        : startPhase(state, event.phase(), event.round());
    observation.lowCardinalityKeyValue(MODEL, model)
        .highCardinalityKeyValue(INPUT_TOKENS, Long.toString(usage.promptTokens()))
        .highCardinalityKeyValue(OUTPUT_TOKENS, Long.toString(usage.completionTokens()))
        .stop();
    if (observation == state.phase) {
      state.phase = null;
      state.phaseKind = null;
    }
  }

  /**
   * Counts a request that failed ({@value TpoMetricNames#PHASE_FAILURES} by phase, model and
   * exception type) and any tokens the server reported for it; the run's observation sees the
   * failure when the run fails.
   */
  @Override
  public void onPhaseFailed(PhaseFailed event) {
    String model = event.model().isEmpty() ? TpoMetricNames.UNKNOWN_MODEL : event.model();
    Tags tags = Tags.of(PHASE, phaseName(event.phase()), MODEL, model);
    Counter.builder(TpoMetricNames.PHASE_FAILURES)
        .description("Failed requests of TPO phases by exception type")
        .tags(tags)
        .tag(ERROR_TYPE, unwrap(event.error()).getClass().getName())
        .register(meters)
        .increment();
    TokenUsage usage = event.usage();
    tokens(tags, "input").increment(usage.promptTokens());
    tokens(tags, "output").increment(usage.completionTokens());
  }

  @Override
  public void onRunCompleted(RunCompleted event) {
    active.decrementAndGet();
    runTimer("success").record(event.elapsed());
    RunState state = runs.remove(event.runId());
    if (state == null) {
      return;
    }
    state.closePhase(null);
    state.run.lowCardinalityKeyValue(MODEL, state.model)
        .highCardinalityKeyValue(INPUT_TOKENS, Long.toString(event.usage().promptTokens()))
        .highCardinalityKeyValue(OUTPUT_TOKENS, Long.toString(event.usage().completionTokens()))
        .highCardinalityKeyValue(BEST_SCORE, Double.toString(event.bestScore()))
        .stop();
  }

  @Override
  public void onRunFailed(RunFailed event) {
    active.decrementAndGet();
    Throwable error = unwrap(event.error());
    String type = error.getClass().getName();
    runTimer("failure").record(event.elapsed());
    Counter.builder(TpoMetricNames.RUNS_FAILED)
        .description("Failed TPO runs by exception type")
        .tag(ERROR_TYPE, type)
        .register(meters)
        .increment();
    RunState state = runs.remove(event.runId());
    if (state == null) {
      return;
    }
    state.closePhase(error);
    state.run.lowCardinalityKeyValue(MODEL, state.model)
        .highCardinalityKeyValue(ERROR_TYPE, type)
        .error(error)
        .stop();
  }

  /**
   * Starts a phase observation inside the run's. Its tags are the same at start and stop (the
   * model is the one this phase had before, or the policy's, until the call names it), so that
   * registries that require one tag set per meter name accept it.
   */
  private Observation startPhase(RunState state, Phase kind, int round) {
    String phase = phaseName(kind);
    String model = state.models.getOrDefault(kind,
        kind == Phase.SCORING ? TpoMetricNames.UNKNOWN_MODEL : state.model);
    return Observation.createNotStarted(TpoMetricNames.PHASE_OBSERVATION, observations)
        .parentObservation(state.run)
        .contextualName("tpo " + phase)
        .lowCardinalityKeyValue(PHASE, phase)
        .lowCardinalityKeyValue(MODEL, model)
        .lowCardinalityKeyValue(OPERATION, kind == Phase.SCORING ? "score" : "chat")
        .highCardinalityKeyValue(ROUND, Integer.toString(round))
        .start();
  }

  private Counter tokens(Tags tags, String type) {
    return Counter.builder(TpoMetricNames.TOKENS)
        .description("Tokens TPO runs sent (input) and generated (output)")
        .baseUnit("tokens")
        .tags(tags)
        .tag(TOKEN_TYPE, type)
        .register(meters);
  }

  private Timer runTimer(String outcome) {
    return Timer.builder(TpoMetricNames.RUN_DURATION)
        .description("Wall time of whole TPO runs")
        .tag(OUTCOME, outcome)
        .register(meters);
  }

  private static String phaseName(Phase phase) {
    return phase.name().toLowerCase(Locale.ROOT);
  }

  private static Throwable unwrap(Throwable error) {
    return Futures.unwrap(error);
  }

  @Override
  public String toString() {
    return "MicrometerTpoListener{runsActive=" + active.get() + "}";
  }

  /** One run's open observations; its fields are touched by the run's events only. */
  private static final class RunState {
    final Observation run;
    volatile Observation phase;
    volatile Phase phaseKind;
    volatile String model = TpoMetricNames.UNKNOWN_MODEL;
    final Map<Phase, String> models = new ConcurrentHashMap<>();

    RunState(Observation run) {
      this.run = run;
    }

    /** Ends a phase observation left open (the run failed inside it, or a new phase began). */
    void closePhase(Throwable error) {
      Observation open = phase;
      if (open != null) {
        if (error != null) {
          open.highCardinalityKeyValue(ERROR_TYPE, error.getClass().getName()).error(error);
        }
        open.stop();
        phase = null;
        phaseKind = null;
      }
    }
  }
}
