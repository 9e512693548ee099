package dev.tpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.adapter.reward.JudgeRewardScorer;
import dev.tpo.core.call.CallTag;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.event.Phase;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.FinishReason;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.ScoredBatch;
import dev.tpo.core.testing.ScriptedLanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Early stop, opt-in: no rise of the best score for k rounds, or the best at the scorer's maximum,
 * against an in-process model whose answers climb round by round up to a plateau.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EarlyStopTest {

  /**
   * A policy whose round-r rewrites are {@code A<r>_<i>} and samples {@code A0_<i>}; the critic's
   * loss and gradient are fixed texts.
   */
  private static ScriptedLanguageModel climbing() {
    return new ScriptedLanguageModel().otherwise(ClimbingAnswers::respond);
  }

  private static final class ClimbingAnswers {
    static dev.tpo.core.model.ChatResponse respond(ChatRequest r) {
      CallTag tag = r.tag(CallTag.class).orElseThrow();
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < r.n(); i++) {
        String value = "A" + tag.round() + "_" + i;
        texts.add(switch (tag.phase()) {
          case SAMPLING -> value;
          case UPDATE -> Scripts.tagged(value);
          default -> tag.phase() + " text of round " + tag.round();
        });
      }
      return ScriptedLanguageModel.respond(r, texts, FinishReason.STOP);
    }
  }

  /** Round r scores min(r, plateau) + 0.01 i: a rise of 1 per round up to the plateau. */
  private static RewardScorer plateauAt(int plateau, OptionalDouble max) {
    return new RewardScorer() {
      @Override
      public ScoredBatch scoreAll(String prompt, List<String> responses) {
        List<Double> scores = new ArrayList<>();
        for (String text : responses) {
          int under = text.indexOf('_');
          int round = Integer.parseInt(text.substring(1, under));
          int i = Integer.parseInt(text.substring(under + 1));
          double s = Math.min(round, plateau) + 0.01 * i;
          scores.add(max.isPresent() ? Math.min(s, max.getAsDouble()) : s);
        }
        return ScoredBatch.of(scores);
      }

      @Override
      public OptionalDouble maxScore() {
        return max;
      }
    };
  }

  @Test
  void stopsAfterKRoundsWithoutImprovementAndSaysWhy() {
    ScriptedLanguageModel model = climbing();
    TpoResult result = Tpo.builder().policy(model).scorer(plateauAt(3, OptionalDouble.empty()))
        .iterations(10).earlyStopRounds(2).build().optimize("q");

    // rounds 1..3 climb, rounds 4 and 5 add nothing better; round 6 is not run
    assertThat(result.rounds()).hasSize(5);
    assertThat(result.stopReason()).isEqualTo(StopReason.NO_IMPROVEMENT);
    assertThat(result.stopDetail()).contains("before round 6 of 10").contains("2 round(s)");
    assertThat(model.requests()).hasSize(1 + 3 * 5);
    assertThat(result.bestScore()).isEqualTo(3.04);
    assertThat(result.toJson()).contains("\"stop_reason\":\"NO_IMPROVEMENT\"");
    assertThat(TpoResult.fromJson(result.toJson())).isEqualTo(result);
  }

  @Test
  void aRiseNoLargerThanTheMarginIsNoImprovement() {
    TpoResult result = Tpo.builder().policy(climbing()).scorer(plateauAt(9, OptionalDouble.empty()))
        .iterations(6).earlyStopRounds(2).earlyStopMargin(2.5).build().optimize("q");

    // every round rises by 1: two rounds rise by 2 in all, not more than the margin of 2.5
    assertThat(result.rounds()).hasSize(2);
    assertThat(result.stopReason()).isEqualTo(StopReason.NO_IMPROVEMENT);
    assertThat(result.bestScore()).isEqualTo(2.04);

    // the rise counts from the last improvement: 1 + 1 > 1.5, so no two rounds in a row are stale
    TpoResult creeping = Tpo.builder().policy(climbing())
        .scorer(plateauAt(9, OptionalDouble.empty())).iterations(6).earlyStopRounds(2)
        .earlyStopMargin(1.5).build().optimize("q");
    assertThat(creeping.rounds()).hasSize(6);
    assertThat(creeping.stopReason()).isEqualTo(StopReason.COMPLETED);
  }

  @Test
  void oneRoundWithoutARiseAboveTheMarginStopsWhenKIsOne() {
    TpoResult result = Tpo.builder().policy(climbing()).scorer(plateauAt(9, OptionalDouble.empty()))
        .iterations(6).earlyStopRounds(1).earlyStopMargin(1.0).build().optimize("q");
    // round 1 rises by exactly 1, not more than the margin: no round 2
    assertThat(result.rounds()).hasSize(1);
    assertThat(result.stopReason()).isEqualTo(StopReason.NO_IMPROVEMENT);
  }


  @Test
  void stopsWhenTheBestReachesTheScorersMaximum() {
    ScriptedLanguageModel model = climbing();
    TpoResult result = Tpo.builder().policy(model).scorer(plateauAt(9, OptionalDouble.of(3)))
        .iterations(8).stopAtMaxScore(true).build().optimize("q");

    assertThat(result.rounds()).hasSize(3);
    assertThat(result.stopReason()).isEqualTo(StopReason.MAX_SCORE);
    assertThat(result.stopDetail()).contains("maximum 3.0").contains("before round 4 of 8");
    assertThat(result.bestScore()).isEqualTo(3.0);
    assertThat(model.requests()).hasSize(1 + 3 * 3);
  }

  @Test
  void aSampleAtTheMaximumRefinesNothing() {
    ScriptedLanguageModel model = climbing();
    TpoResult result = Tpo.builder().policy(model).scorer(plateauAt(9, OptionalDouble.of(0)))
        .stopAtMaxScore(true).build().optimize("q");

    assertThat(result.rounds()).isEmpty();
    assertThat(result.stopReason()).isEqualTo(StopReason.MAX_SCORE);
    assertThat(model.requests()).hasSize(1);
  }

  @Test
  void offByDefaultEveryRoundRuns() {
    TpoResult plateau = Tpo.builder().policy(climbing())
        .scorer(plateauAt(1, OptionalDouble.of(1))).iterations(4).build().optimize("q");
    assertThat(plateau.rounds()).hasSize(4);
    assertThat(plateau.stopReason()).isEqualTo(StopReason.COMPLETED);

    // stopAtMaxScore with an unbounded scorer has nothing to reach
    TpoResult unbounded = Tpo.builder().policy(climbing())
        .scorer(plateauAt(1, OptionalDouble.empty())).iterations(4).stopAtMaxScore(true).build()
        .optimize("q");
    assertThat(unbounded.rounds()).hasSize(4);
    assertThat(unbounded.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(unbounded.phase(Phase.UPDATE).usage().requests()).isEqualTo(4);
  }

  @Test
  void settingsAreCheckedAndLaidOver() {
    assertThatThrownBy(() -> TpoSettings.builder().earlyStopRounds(-1).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("earlyStopRounds");
    assertThatThrownBy(() -> TpoSettings.builder().earlyStopMargin(-0.5).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("earlyStopMargin");
    assertThatThrownBy(() -> TpoSettings.builder().earlyStopMargin(Double.NaN).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("earlyStopMargin");
    assertThat(TpoSettings.DEFAULTS.earlyStopOn()).isFalse();
    assertThat(TpoSettings.DEFAULTS.stopAtMaxScore()).isFalse();
    TpoSettings on = TpoSettings.DEFAULTS.overrideWith(
        TpoSettings.builder().earlyStopRounds(3).earlyStopMargin(0.25).build());
    assertThat(on.earlyStopOn()).isTrue();
    assertThat(on.earlyStopRounds()).isEqualTo(3);
    assertThat(on.earlyStopMargin()).isEqualTo(0.25);
    assertThat(on.samples()).isEqualTo(5);
  }

  @Test
  void theJudgeIsBoundedByItsScaleAndWrappersPassItThrough() {
    JudgeRewardScorer judge = JudgeRewardScorer.builder()
        .model(new ScriptedLanguageModel()).scale(7).build();
    assertThat(judge.maxScore()).isEqualTo(OptionalDouble.of(7));
    assertThat(RewardScorer.checked(judge).maxScore()).isEqualTo(OptionalDouble.of(7));
    RewardScorer lambda = (p, rs) -> ScoredBatch.of(List.of());
    assertThat(lambda.maxScore()).isEmpty();
    assertThat(RewardScorer.checked(lambda).maxScore()).isEmpty();
  }
}
