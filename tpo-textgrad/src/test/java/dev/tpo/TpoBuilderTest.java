package dev.tpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.testing.FakeRewardScorer;
import dev.tpo.core.testing.ScriptedLanguageModel;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class TpoBuilderTest {

  private static TpoBuilder valid() {
    return Tpo.builder().policy(new ScriptedLanguageModel()).scorer(FakeRewardScorer.byLength());
  }

  private static void rejects(UnaryOperator<TpoBuilder> change, String... fragments) {
    assertThatThrownBy(() -> change.apply(valid()).build())
        .isInstanceOf(ConfigurationException.class)
        .satisfies(e -> {
          for (String f : fragments) {
            assertThat(e.getMessage()).contains(f);
          }
        });
  }

  @Test
  void defaultsAreThePapers() {
    Tpo tpo = valid().build();
    assertThat(tpo.settings()).isEqualTo(TpoSettings.DEFAULTS);
    assertThat(tpo.settings().samples()).isEqualTo(5);
    assertThat(tpo.settings().iterations()).isEqualTo(2);
    assertThat(tpo.settings().temperature()).isEqualTo(0.7);
    assertThat(tpo.settings().topP()).isEqualTo(0.95);
    assertThat(tpo.settings().seed()).isEqualTo(7L);
    assertThat(tpo.settings().maxTokens()).isEqualTo(2048);
    assertThat(tpo.settings().maxContextTokens()).isEqualTo(8192);
    assertThat(tpo.mode()).isEqualTo(TpoMode.TPO);
  }

  @Test
  void buildNamesTheMissingOrInvalidFieldAndValue() {
    rejects(b -> b.policy(null), "policy", "LanguageModel");
    rejects(b -> b.scorer(null), "scorer", "RewardScorer");
    rejects(b -> b.mode(null), "mode");
    rejects(b -> b.samples(0), "samples", "got 0");
    rejects(b -> b.samples(257), "samples", "got 257");
    rejects(b -> b.iterations(-1), "iterations", "got -1");
    rejects(b -> b.temperature(2.5), "temperature", "got 2.5");
    rejects(b -> b.topP(0), "topP", "got 0.0");
    rejects(b -> b.maxTokens(0), "maxTokens", "got 0");
    rejects(b -> b.maxContextTokens(100), "maxContextTokens", "got 100");
    rejects(b -> b.responseTruncationTokens(0), "responseTruncationTokens", "got 0");
    rejects(b -> b.tokenBudget(0), "tokenBudget", "got 0");
    rejects(b -> b.timeLimit(Duration.ZERO), "timeLimit", "PT0S");
    rejects(b -> b.clock(null), "clock");
  }

  @Test
  void toBuilderDerivesAVariantWithoutChangingTheOriginal() {
    Tpo base = valid().samples(3).build();
    Tpo wider = base.toBuilder().samples(8).build();
    assertThat(base.settings().samples()).isEqualTo(3);
    assertThat(wider.settings().samples()).isEqualTo(8);
  }

  @Test
  void requestsValidateTheirOverridesAndResolveAgainstTheDefaults() {
    assertThatThrownBy(() -> TpoRequest.of(" "))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("prompt is blank");
    assertThatThrownBy(() -> TpoRequest.builder("q").samples(0).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("samples");
    assertThatThrownBy(() -> TpoRequest.builder("q")
        .history(List.of(ChatMessage.system("s"))).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("history[0]");
    TpoRequest r = TpoRequest.builder("q").samples(9).iterations(0).seed(3).build();
    TpoSettings s = r.resolve(TpoSettings.DEFAULTS);
    assertThat(s.samples()).isEqualTo(9);
    assertThat(s.iterations()).isEqualTo(0);
    assertThat(s.seed()).isEqualTo(3L);
    assertThat(s.temperature()).isEqualTo(0.7);
    assertThat(r.toBuilder().build()).isEqualTo(r);
  }

  @Test
  void requestOverridesAreAValueOfTheirOwn() {
    TpoRequest r = TpoRequest.builder("q").temperature(0.2).timeLimit(Duration.ofSeconds(3))
        .build();
    assertThat(r.settings().temperature()).isEqualTo(0.2);
    assertThat(r.settings().timeLimit()).contains(Duration.ofSeconds(3));
    assertThat(r.settings().samples()).isNull();
    assertThat(TpoRequest.of("q").settings()).isEqualTo(TpoSettings.EMPTY);
    assertThat(TpoSettings.DEFAULTS.overrideWith(TpoSettings.EMPTY)).isEqualTo(TpoSettings.DEFAULTS);
    assertThat(r.resolve(TpoSettings.DEFAULTS).timeLimitMillis()).isEqualTo(3000L);
    assertThatThrownBy(() -> TpoRequest.builder("q").timeLimit(Duration.ZERO).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("timeLimit' must be at least 1 ms, got PT0S");
    assertThatThrownBy(() -> TpoRequest.builder("q").topP(0).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("topP");
  }

  @Test
  void modesAreFoundByName() {
    assertThat(TpoMode.of("tpo")).isEqualTo(TpoMode.TPO);
    assertThat(TpoMode.of("Revision")).isEqualTo(TpoMode.REVISION);
    assertThat(TpoMode.of("bon")).isEqualTo(TpoMode.BEST_OF_N);
    assertThat(TpoMode.of("best-of-n")).isEqualTo(TpoMode.BEST_OF_N);
    assertThatThrownBy(() -> TpoMode.of("dpo"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("'dpo'");
  }
}
