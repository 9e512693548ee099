package dev.tpo.micrometer;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.Tpo;
import dev.tpo.TpoResult;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.error.RewardScoringException;
import dev.tpo.core.event.Phase;
import dev.tpo.core.event.PhaseCompleted;
import dev.tpo.core.event.TpoListener;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.testing.FakeRewardScorer;
import dev.tpo.simulator.SimulatedOpenAiServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The meters and observations of a two-round run and of a failed run, against the simulator. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MicrometerTpoListenerTest {
  private static SimulatedOpenAiServer server;
  private static OpenAiCompatibleModel policy;

  @BeforeAll
  static void start() {
    server = SimulatedOpenAiServer.start();
    policy = OpenAiCompatibleModel.builder().baseUrl(server.openAiBaseUrl()).model("sim-model")
        .build();
  }

  @AfterAll
  static void stop() {
    policy.close();
    server.close();
  }

  @Test
  void aTwoRoundRunRecordsOneRunObservationWithItsPhasesTimersAndTokens() {
    MeterRegistry meters = new SimpleMeterRegistry();
    TestObservationRegistry observations = recording();
    MicrometerTpoListener metrics = MicrometerTpoListener.of(meters, observations);
    List<Double> inFlight = new CopyOnWriteArrayList<>();
    TpoListener gaugeProbe = new TpoListener() {
      @Override
      public void onPhaseCompleted(PhaseCompleted event) {
        inFlight.add(meters.get(TpoMetricNames.RUNS_ACTIVE).gauge().value());
      }
    };

    TpoResult result = Tpo.builder().policy(policy).scorer(FakeRewardScorer.byLength())
        .samples(3).iterations(2).listener(TpoListener.composite(List.of(metrics, gaugeProbe)))
        .build().optimize("Explain TCP slow start.");

    assertThat(result.rounds()).hasSize(2);
    assertThat(inFlight).isNotEmpty().containsOnly(1.0);
    assertThat(meters.get(TpoMetricNames.RUNS_ACTIVE).gauge().value()).isZero();

    // timers per phase and model: sampling once, scoring three times, each refinement phase twice
    assertThat(phaseTimer(meters, "sampling", "sim-model").count()).isEqualTo(1);
    assertThat(phaseTimer(meters, "loss", "sim-model").count()).isEqualTo(2);
    assertThat(phaseTimer(meters, "gradient", "sim-model").count()).isEqualTo(2);
    assertThat(phaseTimer(meters, "update", "sim-model").count()).isEqualTo(2);
    assertThat(phaseTimer(meters, "scoring", FakeRewardScorer.byLength().name()).count())
        .isEqualTo(3);
    assertThat(meters.get(TpoMetricNames.RUN_DURATION).tag(TpoMetricNames.OUTCOME, "success")
        .timer().count()).isEqualTo(1);

    // token counters by phase, model and type add up to the result's usage
    for (Phase phase : List.of(Phase.SAMPLING, Phase.LOSS, Phase.GRADIENT, Phase.UPDATE)) {
      String name = phase.name().toLowerCase(java.util.Locale.ROOT);
      assertThat(tokens(meters, name, "input"))
          .isEqualTo(result.phase(phase).usage().promptTokens()).isPositive();
      assertThat(tokens(meters, name, "output"))
          .isEqualTo(result.phase(phase).usage().completionTokens()).isPositive();
    }
    assertThat(meters.find(TpoMetricNames.RUNS_FAILED).counters()).isEmpty();

    // one run observation with ten phase observations inside it, all stopped
    assertThat(observations)
        .hasNumberOfObservationsWithNameEqualTo(TpoMetricNames.RUN_OBSERVATION, 1)
        .hasNumberOfObservationsWithNameEqualTo(TpoMetricNames.PHASE_OBSERVATION, 10)
        .hasObservationWithNameEqualTo(TpoMetricNames.RUN_OBSERVATION).that()
        .hasBeenStarted().hasBeenStopped().doesNotHaveError()
        .hasLowCardinalityKeyValue(TpoMetricNames.MODEL, "sim-model")
        .hasHighCardinalityKeyValue(TpoMetricNames.RUN_ID, result.runId())
        .hasHighCardinalityKeyValue(TpoMetricNames.INPUT_TOKENS,
            Long.toString(result.usage().promptTokens()))
        .hasHighCardinalityKeyValue(TpoMetricNames.OUTPUT_TOKENS,
            Long.toString(result.usage().completionTokens()));
    List<Observation.Context> phases = phaseContexts(observations);
    assertThat(phases).extracting(c -> c.getLowCardinalityKeyValue(TpoMetricNames.PHASE)
            .getValue() + "@" + c.getHighCardinalityKeyValue(TpoMetricNames.ROUND).getValue())
        .containsExactly("sampling@0", "scoring@0", "loss@1", "gradient@1", "update@1",
            "scoring@1", "loss@2", "gradient@2", "update@2", "scoring@2");
    assertThat(phases).allSatisfy(c -> {
      assertThat(c.getParentObservation()).isNotNull();
      assertThat(c.getParentObservation().getContextView().getName())
          .isEqualTo(TpoMetricNames.RUN_OBSERVATION);
      assertThat(c.getError()).isNull();
    });
    assertThat(phases.get(0).getContextualName()).isEqualTo("tpo sampling");
    assertThat(phases.get(0).getLowCardinalityKeyValue(TpoMetricNames.OPERATION).getValue())
        .isEqualTo("chat");
    assertThat(phases.get(0).getHighCardinalityKeyValue(TpoMetricNames.INPUT_TOKENS).getValue())
        .isEqualTo(Long.toString(result.phase(Phase.SAMPLING).usage().promptTokens()));
  }

  @Test
  void aFailedRunCountsItsExceptionTypeAndMarksTheFailedPhase() {
    MeterRegistry meters = new SimpleMeterRegistry();
    TestObservationRegistry observations = recording();
    RewardScorer broken = (prompt, responses) -> {
      throw new RewardScoringException("reward server down");
    };
    Tpo tpo = Tpo.builder().policy(policy).scorer(broken).samples(2).iterations(2)
        .listener(MicrometerTpoListener.of(meters, observations)).build();

    assertThatThrownBy(() -> tpo.optimize("q")).isInstanceOf(RewardScoringException.class);

    Counter failed = meters.get(TpoMetricNames.RUNS_FAILED)
        .tag(TpoMetricNames.ERROR_TYPE, RewardScoringException.class.getName()).counter();
    assertThat(failed.count()).isEqualTo(1);
    assertThat(meters.get(TpoMetricNames.RUN_DURATION).tag(TpoMetricNames.OUTCOME, "failure")
        .timer().count()).isEqualTo(1);
    assertThat(meters.get(TpoMetricNames.RUNS_ACTIVE).gauge().value()).isZero();
    assertThat(phaseTimer(meters, "sampling", "sim-model").count()).isEqualTo(1);

    assertThat(observations).hasObservationWithNameEqualTo(TpoMetricNames.RUN_OBSERVATION)
        .that().hasBeenStopped().hasError()
        .hasHighCardinalityKeyValue(TpoMetricNames.ERROR_TYPE,
            RewardScoringException.class.getName());
    List<Observation.Context> phases = phaseContexts(observations);
    assertThat(phases).hasSize(2);
    assertThat(phases.get(0).getError()).isNull();
    Observation.Context scoring = phases.get(1);
    assertThat(scoring.getLowCardinalityKeyValue(TpoMetricNames.PHASE).getValue())
        .isEqualTo("scoring");
    assertThat(scoring.getError()).isInstanceOf(RewardScoringException.class);
  }

  @Test
  void aFailedRequestCountsByPhaseModelAndTypeWithItsTokens() {
    MeterRegistry meters = new SimpleMeterRegistry();
    MicrometerTpoListener metrics = MicrometerTpoListener.of(meters, recording());
    metrics.onPhaseFailed(new dev.tpo.core.event.PhaseFailed("r1", 1, Phase.LOSS,
        dev.tpo.core.model.TokenUsage.ofRequest(40, 0), java.time.Duration.ofMillis(5),
        "sim-model", new java.util.concurrent.CompletionException(
            new dev.tpo.core.error.ServerErrorException("HTTP 500", 500, "boom"))));
    metrics.onPhaseFailed(new dev.tpo.core.event.PhaseFailed("r1", 1, Phase.LOSS,
        dev.tpo.core.model.TokenUsage.ofRequest(0, 0), java.time.Duration.ofMillis(5),
        null, new dev.tpo.core.error.ServerErrorException("HTTP 502", 502, "bad gateway")));

    Counter failures = meters.get(TpoMetricNames.PHASE_FAILURES)
        .tag(TpoMetricNames.PHASE, "loss").tag(TpoMetricNames.MODEL, "sim-model")
        .tag(TpoMetricNames.ERROR_TYPE, "dev.tpo.core.error.ServerErrorException").counter();
    assertThat(failures.count()).isEqualTo(1);
    assertThat(meters.get(TpoMetricNames.PHASE_FAILURES)
        .tag(TpoMetricNames.MODEL, TpoMetricNames.UNKNOWN_MODEL).counter().count()).isEqualTo(1);
    assertThat(tokens(meters, "loss", "input")).isEqualTo(40);
    assertThat(meters.find(TpoMetricNames.RUNS_FAILED).counters()).isEmpty();
  }

  @Test
  void concurrentRunsAreRecordedApart() throws Exception {
    MeterRegistry meters = new SimpleMeterRegistry();
    TestObservationRegistry observations = recording();
    Tpo tpo = Tpo.builder().policy(policy).scorer(FakeRewardScorer.byLength()).samples(2)
        .iterations(1).listener(MicrometerTpoListener.of(meters, observations)).build();

    tpo.optimizePrompts(List.of("a", "b", "c", "d"), 4);

    assertThat(observations)
        .hasNumberOfObservationsWithNameEqualTo(TpoMetricNames.RUN_OBSERVATION, 4)
        .hasNumberOfObservationsWithNameEqualTo(TpoMetricNames.PHASE_OBSERVATION, 4 * 6);
    assertThat(phaseContexts(observations)).allSatisfy(c ->
        assertThat(c.getParentObservation().getContextView().getName())
            .isEqualTo(TpoMetricNames.RUN_OBSERVATION));
    assertThat(phaseTimer(meters, "loss", "sim-model").count()).isEqualTo(4);
    assertThat(meters.get(TpoMetricNames.RUNS_ACTIVE).gauge().value()).isZero();
  }

  /** A registry that also keeps every started context, in start order. */
  private static TestObservationRegistry recording() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    List<Observation.Context> started = new CopyOnWriteArrayList<>();
    registry.observationConfig().observationHandler(new ObservationHandler<>() {
      @Override
      public void onStart(Observation.Context context) {
        started.add(context);
      }

      @Override
      public boolean supportsContext(Observation.Context context) {
        return true;
      }
    });
    STARTED.put(registry, started);
    return registry;
  }

  private static final java.util.Map<TestObservationRegistry, List<Observation.Context>> STARTED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static List<Observation.Context> phaseContexts(TestObservationRegistry observations) {
    return STARTED.get(observations).stream()
        .filter(c -> c.getName().equals(TpoMetricNames.PHASE_OBSERVATION))
        .toList();
  }

  private static Timer phaseTimer(MeterRegistry meters, String phase, String model) {
    return meters.get(TpoMetricNames.PHASE_DURATION).tag(TpoMetricNames.PHASE, phase)
        .tag(TpoMetricNames.MODEL, model).timer();
  }

  private static double tokens(MeterRegistry meters, String phase, String type) {
    return meters.get(TpoMetricNames.TOKENS).tag(TpoMetricNames.PHASE, phase)
        .tag(TpoMetricNames.MODEL, "sim-model").tag(TpoMetricNames.TOKEN_TYPE, type)
        .counter().count();
  }
}
