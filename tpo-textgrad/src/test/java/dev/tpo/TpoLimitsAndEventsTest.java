package dev.tpo;

import static dev.tpo.Scripts.tagged;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.core.event.CandidatesProposed;
import dev.tpo.core.event.CandidatesScored;
import dev.tpo.core.event.GradientComputed;
import dev.tpo.core.event.LossComputed;
import dev.tpo.core.event.Phase;
import dev.tpo.core.event.PhaseCompleted;
import dev.tpo.core.event.PhaseStarted;
import dev.tpo.core.event.RoundStarted;
import dev.tpo.core.event.RunCompleted;
import dev.tpo.core.event.RunStarted;
import dev.tpo.core.event.TpoListener;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.model.TokenUsage;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.ScoredBatch;
import dev.tpo.core.testing.FakeRewardScorer;
import dev.tpo.core.testing.ScriptedLanguageModel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Token budget, time limit, per-phase usage and timing, and the event sequence. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TpoLimitsAndEventsTest {

  private static ScriptedLanguageModel oneRound() {
    return new ScriptedLanguageModel()
        .thenAnswer("short", "a longer answer")
        .thenAnswer("critique").thenAnswer("feedback")
        .thenAnswer(tagged("the longest answer of all"), tagged("mid answer"));
  }

  /** Each request takes ten seconds of the given clock. */
  private static LanguageModel slow(ScriptedLanguageModel model, MutableClock clock) {
    return request -> {
      clock.advance(Duration.ofSeconds(10));
      return model.chatAsync(request);
    };
  }

  @Test
  void aTimeLimitStopsRefiningAndKeepsTheBestSoFar() {
    MutableClock clock = new MutableClock();
    ScriptedLanguageModel model = oneRound();
    TpoResult result = Tpo.builder().policy(slow(model, clock)).scorer(FakeRewardScorer.byLength())
        .samples(2).iterations(1).clock(clock).timeLimit(Duration.ofSeconds(25)).build()
        .optimize("q");

    // sampling 10 s, loss 20 s, gradient 30 s: the limit is seen before the update request
    assertThat(model.requests()).hasSize(3);
    assertThat(result.stopReason()).isEqualTo(StopReason.TIME_LIMIT);
    assertThat(result.stopDetail()).contains("time limit").contains("during round 1");
    assertThat(result.rounds()).singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(RoundStatus.STOPPED));
    assertThat(result.answer()).isEqualTo("a longer answer");
    assertThat(result.phase(Phase.SAMPLING).elapsedMillis()).isEqualTo(10_000);
    assertThat(result.phase(Phase.LOSS).elapsedMillis()).isEqualTo(10_000);
    assertThat(result.elapsedMillis()).isEqualTo(30_000);
  }

  @Test
  void aTokenBudgetStopsRefiningBeforeTheNextRound() {
    ScriptedLanguageModel model = oneRound();
    TpoResult result = Tpo.builder().policy(model).scorer(FakeRewardScorer.byLength())
        .samples(2).iterations(1).tokenBudget(5).build().optimize("q");

    assertThat(model.requests()).hasSize(1);
    assertThat(result.stopReason()).isEqualTo(StopReason.TOKEN_BUDGET);
    assertThat(result.stopDetail()).contains("token budget of 5").contains("before round 1");
    assertThat(result.rounds()).isEmpty();
    assertThat(result.answer()).isEqualTo("a longer answer");
  }

  @Test
  void usageAndTimeAreReportedPerPhaseAndInTotal() {
    TpoResult result = Tpo.builder().policy(oneRound()).scorer(FakeRewardScorer.byLength())
        .samples(2).iterations(1).build().optimize("q");

    for (Phase p : List.of(Phase.SAMPLING, Phase.LOSS, Phase.GRADIENT, Phase.UPDATE)) {
      assertThat(result.phase(p).usage().requests()).as("requests of %s", p).isEqualTo(1);
      assertThat(result.phase(p).usage().totalTokens()).as("tokens of %s", p).isPositive();
    }
    assertThat(result.phase(Phase.SCORING).usage().requests()).isEqualTo(2);
    TokenUsage sum = result.phase(Phase.SAMPLING).usage().plus(result.phase(Phase.LOSS).usage())
        .plus(result.phase(Phase.GRADIENT).usage()).plus(result.phase(Phase.UPDATE).usage());
    assertThat(result.usage()).isEqualTo(sum);
    assertThat(result.sampling().usage()).isEqualTo(result.phase(Phase.SAMPLING).usage());
  }

  /** Scores by length like {@link FakeRewardScorer#byLength()} and reports judge-like usage. */
  private static RewardScorer judgeLike() {
    RewardScorer byLength = FakeRewardScorer.byLength();
    return (prompt, responses) -> new ScoredBatch(byLength.score(prompt, responses),
        new TokenUsage(1000, 100, responses.size()));
  }

  @Test
  void anLlmJudgesTokensCountInTheUsageTheEventsAndTheTokenBudget() {
    List<TokenUsage> scoringEvents = new CopyOnWriteArrayList<>();
    TpoListener listener = new TpoListener() {
      @Override
      public void onPhaseCompleted(PhaseCompleted e) {
        if (e.phase() == Phase.SCORING) {
          scoringEvents.add(e.usage());
        }
      }
    };
    TpoResult result = Tpo.builder().policy(oneRound()).scorer(judgeLike()).listener(listener)
        .samples(2).iterations(1).build().optimize("q");

    assertThat(result.phase(Phase.SCORING).usage()).isEqualTo(new TokenUsage(2000, 200, 2));
    TokenUsage policy = result.phase(Phase.SAMPLING).usage().plus(result.phase(Phase.LOSS).usage())
        .plus(result.phase(Phase.GRADIENT).usage()).plus(result.phase(Phase.UPDATE).usage());
    assertThat(result.usage()).isEqualTo(policy.plus(new TokenUsage(2000, 200, 0)));
    assertThat(scoringEvents).hasSize(2).allSatisfy(u ->
        assertThat(u).isEqualTo(new TokenUsage(1000, 100, 2)));

    long sampling = result.phase(Phase.SAMPLING).usage().totalTokens();
    ScriptedLanguageModel budgeted = oneRound();
    TpoResult stopped = Tpo.builder().policy(budgeted).scorer(judgeLike())
        .samples(2).iterations(1).tokenBudget(sampling + 1).build().optimize("q");
    assertThat(stopped.stopReason()).isEqualTo(StopReason.TOKEN_BUDGET);
    assertThat(budgeted.requests()).hasSize(1);
  }

  @Test
  void eventsFollowTheRun() {
    List<String> seen = new CopyOnWriteArrayList<>();
    TpoListener listener = new TpoListener() {
      @Override
      public void onRunStarted(RunStarted e) {
        seen.add("started");
      }

      @Override
      public void onPhaseCompleted(PhaseCompleted e) {
        seen.add(e.phase() + "@" + e.round());
      }

      @Override
      public void onCandidatesScored(CandidatesScored e) {
        seen.add("scored@" + e.round() + ":" + e.scores().size());
      }

      @Override
      public void onRoundStarted(RoundStarted e) {
        seen.add("round@" + e.round());
      }

      @Override
      public void onLossComputed(LossComputed e) {
        seen.add("loss:" + e.loss());
      }

      @Override
      public void onGradientComputed(GradientComputed e) {
        seen.add("gradient");
      }

      @Override
      public void onCandidatesProposed(CandidatesProposed e) {
        seen.add("proposed:" + e.proposed() + "/" + e.dropped());
      }

      @Override
      public void onRunCompleted(RunCompleted e) {
        seen.add("done:" + e.bestScore());
      }
    };
    Tpo.builder().policy(oneRound()).scorer(FakeRewardScorer.byLength()).samples(2).iterations(1)
        .listener(listener).build().optimize("q");

    assertThat(seen).containsExactly("started", "SAMPLING@0", "SCORING@0", "scored@0:2",
        "round@1", "LOSS@1", "loss:critique", "GRADIENT@1", "gradient", "UPDATE@1",
        "proposed:2/0", "SCORING@1", "scored@1:2", "done:25.0");
  }

  @Test
  void everyPhaseStartsBeforeItCompletesAndNamesItsModel() {
    List<String> seen = new CopyOnWriteArrayList<>();
    TpoListener listener = new TpoListener() {
      @Override
      public void onPhaseStarted(PhaseStarted e) {
        seen.add(">" + e.phase() + "@" + e.round());
      }

      @Override
      public void onPhaseCompleted(PhaseCompleted e) {
        seen.add("<" + e.phase() + "@" + e.round() + ":" + e.model());
      }
    };
    ScriptedLanguageModel policy = oneRound();
    RewardScorer scorer = FakeRewardScorer.byLength();
    Tpo.builder().policy(policy).scorer(scorer).samples(2).iterations(1)
        .listener(listener).build().optimize("q");

    String p = policy.name();
    String s = scorer.name();
    assertThat(seen).containsExactly(">SAMPLING@0", "<SAMPLING@0:" + p, ">SCORING@0",
        "<SCORING@0:" + s, ">LOSS@1", "<LOSS@1:" + p, ">GRADIENT@1", "<GRADIENT@1:" + p,
        ">UPDATE@1", "<UPDATE@1:" + p, ">SCORING@1", "<SCORING@1:" + s);
  }

  @Test
  void aThrowingListenerNeverFailsTheRun() {
    TpoListener throwing = new TpoListener() {
      @Override
      public void onCandidatesScored(CandidatesScored e) {
        throw new IllegalStateException("listener bug");
      }
    };
    TpoResult result = Tpo.builder().policy(oneRound()).scorer(FakeRewardScorer.byLength())
        .samples(2).iterations(1).listener(throwing).build().optimize("q");
    assertThat(result.answer()).isEqualTo("the longest answer of all");
  }
}
