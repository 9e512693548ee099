package dev.tpo.core.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.RewardScoringException;
import dev.tpo.core.model.TokenUsage;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ScoreContractTest {

  private static RewardScorer returning(String name, List<Double> scores) {
    return new RewardScorer() {
      @Override
      public List<Double> score(String prompt, List<String> responses) {
        return scores;
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
  void checksTheAsyncFormToo() {
    RewardScorer checked = RewardScorer.checked(returning("rm", List.of(1.0)));
    assertThatThrownBy(() -> checked.scoreAsync("p", List.of("a", "b")).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(RewardScoringException.class);
  }

  @Test
  void checksTheUsageFormTooAndKeepsTheUsage() {
    RewardScorer tooFew = RewardScorer.checked(returning("rm", List.of(1.0)));
    assertThatThrownBy(() -> tooFew.scoreWithUsageAsync("p", List.of("a", "b")).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(RewardScoringException.class)
        .hasMessageContaining("returned 1 scores for 2 responses");
    RewardScorer nulls = RewardScorer.checked(returning("rm", null));
    assertThatThrownBy(() -> nulls.scoreWithUsageAsync("p", List.of("a")).join())
        .hasCauseInstanceOf(RewardScoringException.class)
        .hasMessageContaining("returned null instead of 1 scores");
    TokenUsage spent = new TokenUsage(30, 5, 1);
    RewardScorer judge = new RewardScorer() {
      @Override
      public List<Double> score(String prompt, List<String> responses) {
        return List.of(7.0);
      }

      @Override
      public CompletableFuture<ScoredBatch> scoreWithUsageAsync(String prompt,
          List<String> responses) {
        return CompletableFuture.completedFuture(new ScoredBatch(List.of(7.0), spent));
      }
    };
    assertThat(RewardScorer.checked(judge).scoreWithUsageAsync("p", List.of("a")).join())
        .isEqualTo(new ScoredBatch(List.of(7.0), spent));
    assertThat(returning("rm", List.of(2.0)).scoreWithUsageAsync("p", List.of("a")).join())
        .isEqualTo(ScoredBatch.of(List.of(2.0)));
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
