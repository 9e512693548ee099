package dev.tpo.core.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.ConfigurationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RewardScorersTest {

  private static RewardScorerProvider provider(String name, String prefix, double score) {
    return new RewardScorerProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean supports(String spec) {
        return spec.startsWith(prefix);
      }

      @Override
      public RewardScorer create(String spec, RewardScorerContext context) {
        return (prompt, responses) -> ScoredBatch.of(responses.stream().map(r -> score).toList());
      }

      @Override
      public String syntax() {
        return prefix + "URL";
      }
    };
  }

  @Test
  void picksTheOnlyProviderThatSupportsTheSpec() {
    RewardScorer scorer =
        RewardScorers.fromSpec(
            "  b+http://x ",
            RewardScorerContext.DEFAULT,
            List.of(provider("a", "a+", 1.0), provider("b", "b+", 2.0)));
    assertThat(scorer.score("p", List.of("r1", "r2"))).containsExactly(2.0, 2.0);
  }

  @Test
  void unknownSpecListsTheAcceptedSyntaxes() {
    assertThatThrownBy(
            () ->
                RewardScorers.fromSpec(
                    "zzz", RewardScorerContext.DEFAULT, List.of(provider("a", "a+", 1.0))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'zzz'")
        .hasMessageContaining("a+URL");
  }

  @Test
  void ambiguousSpecNamesEveryProvider() {
    assertThatThrownBy(
            () ->
                RewardScorers.fromSpec(
                    "a+x",
                    RewardScorerContext.DEFAULT,
                    List.of(provider("one", "a", 1.0), provider("two", "a+", 2.0))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("one, two");
  }

  @Test
  void blankSpecIsRefused() {
    assertThatThrownBy(
            () -> RewardScorers.fromSpec(" ", RewardScorerContext.DEFAULT, List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("reward spec is empty");
  }

  @Test
  void contextNeverShowsTheApiKey() {
    assertThat(RewardScorerContext.DEFAULT.withApiKey("sk-secret-123").toString())
        .doesNotContain("sk-secret-123")
        .contains("***");
  }
}
