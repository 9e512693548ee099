package dev.tpo.core.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.RewardScoringException;
import dev.tpo.core.model.TokenUsage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreContractTest {

  private static RewardScorer returning(String name, List<Double> scores) {
    return new RewardScorer() {
      @Override
      public ScoredBatch scoreAll(String prompt, List<String> responses) {
        return scores == null ? null : ScoredBatch.of(scores);
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  @Test
  void rejectsNaNNamingTheScorerAndTheResponse() {
    RewardScorer checked = RewardScorer.checked(returning("my-rm", Arrays.asList(1.0, Double.NaN)));
    assertThatThrownBy(() -> checked.score("p", List.of("a", "b")))
        .isInstanceOf(RewardScoringException.class)
        .hasMessageContaining("reward scorer 'my-rm' returned NaN for response #1")
        .hasMessageContaining("finite");
  }

  @Test
  void rejectsInfiniteAndNullScores() {
    assertThatThrownBy(() -> RewardScorer.checked(returning("rm", List.of(Double.POSITIVE_INFINITY)))
            .score("p", List.of("a")))
        .isInstanceOf(RewardScoringException.class)
        .hasMessageContaining("returned Infinity for response #0");
    assertThatThrownBy(() -> RewardScorer.checked(returning("rm", Arrays.asList((Double) null)))
            .score("p", List.of("a")))
        .isInstanceOf(RewardScoringException.class)
        .hasMessageContaining("returned null for response #0");
  }

  @Test
  void rejectsAWrongNumberOfScores() {
    RewardScorer checked = RewardScorer.checked(returning("short-rm", List.of(1.0)));
    assertThatThrownBy(() -> checked.score("p", List.of("a", "b", "c")))
        .isInstanceOf(RewardScoringException.class)
        .hasMessageContaining("reward scorer 'short-rm' returned 1 scores for 3 responses");
  }

  @Test
  void checksScoreAllAndKeepsTheUsage() {
    RewardScorer tooFew = RewardScorer.checked(returning("rm", List.of(1.0)));
    assertThatThrownBy(() -> tooFew.scoreAll("p", List.of("a", "b")))
        .isInstanceOf(RewardScoringException.class)
        .hasMessageContaining("returned 1 scores for 2 responses");
    RewardScorer nulls = RewardScorer.checked(returning("rm", null));
    assertThatThrownBy(() -> nulls.scoreAll("p", List.of("a")))
        .isInstanceOf(RewardScoringException.class)
        .hasMessageContaining("returned null instead of 1 scores");
    TokenUsage spent = new TokenUsage(30, 5, 1);
    RewardScorer judge = (prompt, responses) -> new ScoredBatch(List.of(7.0), spent);
    assertThat(RewardScorer.checked(judge).scoreAll("p", List.of("a")))
        .isEqualTo(new ScoredBatch(List.of(7.0), spent));
    assertThat(returning("rm", List.of(2.0)).scoreAll("p", List.of("a")))
        .isEqualTo(ScoredBatch.of(List.of(2.0)));
    RewardScorer degraded = (prompt, responses) ->
        new ScoredBatch(List.of(0.0), spent, List.of("no rating found"));
    assertThat(RewardScorer.checked(degraded).scoreAll("p", List.of("a")).warnings())
        .containsExactly("no rating found");
  }

  @Test
  void theConveniencesGoThroughTheCheckedPath() {
    RewardScorer checked = RewardScorer.checked(returning("rm", List.of(1.0)));
    assertThatThrownBy(() -> checked.score("p", List.of("a", "b")))
        .isInstanceOf(RewardScoringException.class)
        .hasMessageContaining("returned 1 scores for 2 responses");
    RewardScorer unchecked = returning("rm", null);
    assertThatThrownBy(() -> unchecked.score("p", List.of("a")))
        .isInstanceOf(RewardScoringException.class)
        .hasMessageContaining("reward scorer 'rm' returned null");
  }

  @Test
  void anEmptyBatchNeverReachesTheDelegate() {
    RewardScorer failing = (prompt, responses) -> {
      throw new AssertionError("called with " + responses);
    };
    assertThat(RewardScorer.checked(failing).scoreAll("p", List.of()))
        .isEqualTo(ScoredBatch.of(List.of()));
  }

  @Test
  void singleScoreIsCheckedByTheDefaultMethod() {
    RewardScorer nan = returning("rm", List.of(Double.NaN));
    assertThatThrownBy(() -> nan.score("p", "a")).isInstanceOf(RewardScoringException.class);
    assertThat(returning("rm", List.of(2.5)).score("p", "a")).isEqualTo(2.5);
  }

  @Test
  void wrappingTwiceKeepsOneWrapper() {
    RewardScorer once = RewardScorer.checked(returning("rm", List.of()));
    assertThat(RewardScorer.checked(once)).isSameAs(once);
    assertThat(once.name()).isEqualTo("rm");
  }
}
