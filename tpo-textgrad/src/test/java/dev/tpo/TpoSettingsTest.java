package dev.tpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.testing.FakeRewardScorer;
import dev.tpo.core.testing.ScriptedLanguageModel;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One settings type: defaults, the Tpo's, a request's, the environment's, laid over each other. */
class TpoSettingsTest {

  @Test
  void overrideWithReplacesOnlyTheFieldsTheOverrideSets() {
    TpoSettings tpo = TpoSettings.builder().samples(3).temperature(0.2).build();
    TpoSettings request = TpoSettings.builder().temperature(0.9).timeLimit(Duration.ofSeconds(2))
        .build();
    TpoSettings run = TpoSettings.DEFAULTS.overrideWith(tpo).overrideWith(request);
    assertThat(run.samples()).isEqualTo(3);
    assertThat(run.temperature()).isEqualTo(0.9);
    assertThat(run.iterations()).isEqualTo(2);
    assertThat(run.timeLimit()).contains(Duration.ofSeconds(2));
    assertThat(run.tokenBudgetIfSet()).isEmpty();
    assertThat(TpoSettings.DEFAULTS.overrideWith(TpoSettings.EMPTY)).isSameAs(TpoSettings.DEFAULTS);
    assertThat(TpoSettings.EMPTY.overrideWith(tpo)).isEqualTo(tpo);
    assertThat(run.toBuilder().build()).isEqualTo(run);
  }

  @Test
  void everySetFieldIsCheckedAndACombinationToo() {
    assertThatThrownBy(() -> TpoSettings.builder().samples(0).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("'samples'");
    assertThatThrownBy(() -> TpoSettings.builder().maxTokens(100).maxContextTokens(50).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("'maxContextTokens'");
    TpoSettings small = TpoSettings.builder().maxContextTokens(1000).build();
    assertThatThrownBy(() -> TpoSettings.DEFAULTS.overrideWith(small))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("at least maxTokens");
  }

  @Test
  void theBuilderTheRequestAndTheEnvironmentGiveTheSameType() {
    TpoSettings env = TpoEnvironment.settings(Map.of("TPO_SAMPLES", "4", "TPO_TEMPERATURE", "0.1",
        "TPO_MAX_CONTEXT_TOKENS", "4096")::get);
    assertThat(env).isEqualTo(TpoSettings.builder().samples(4).temperature(0.1)
        .maxContextTokens(4096).build());
    Tpo tpo = Tpo.builder().policy(new ScriptedLanguageModel()).scorer(FakeRewardScorer.byLength())
        .settings(env).iterations(1).build();
    assertThat(tpo.settings()).isEqualTo(TpoSettings.DEFAULTS.overrideWith(env).toBuilder()
        .iterations(1).build());
    assertThat(tpo.toBuilder().build().settings()).isEqualTo(tpo.settings());
    TpoRequest request = TpoRequest.builder("q").settings(env).seed(9L).build();
    assertThat(request.settings().samples()).isEqualTo(4);
    assertThat(request.resolve(tpo.settings()).seed()).isEqualTo(9L);
    assertThatThrownBy(() -> TpoEnvironment.settings(Map.of("TPO_SEED", "seven")::get))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("TPO_SEED");
    assertThatThrownBy(() -> TpoEnvironment.settings(Map.of("TPO_SAMPLES", "0")::get))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("TPO_SAMPLES=0: must be ")
        .hasMessageEndingWith("; unset TPO_SAMPLES or give a value in range")
        .hasMessageNotContaining("Tpo.builder()");
  }

  @Test
  void theEnvironmentSetsEarlyStopAndThePromptLayout() {
    TpoSettings env = TpoEnvironment.settings(Map.of("TPO_EARLY_STOP_ROUNDS", "2",
        "TPO_EARLY_STOP_MARGIN", "0.05", "TPO_STOP_AT_MAX_SCORE", " TRUE ",
        "TPO_PROMPT_LAYOUT", "prefix-shared")::get);
    assertThat(env).isEqualTo(TpoSettings.builder().earlyStopRounds(2).earlyStopMargin(0.05)
        .stopAtMaxScore(true).promptLayout(PromptLayout.PREFIX_SHARED).build());
    assertThat(TpoEnvironment.settings(Map.of("TPO_STOP_AT_MAX_SCORE", "false")::get)
        .stopAtMaxScore()).isFalse();
    assertThat(TpoEnvironment.settings(Map.of("TPO_PROMPT_LAYOUT", "")::get).promptLayout())
        .isNull();
    assertThatThrownBy(() -> TpoEnvironment.settings(Map.of("TPO_EARLY_STOP_ROUNDS", "two")::get))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("TPO_EARLY_STOP_ROUNDS is not a number: 'two'");
    assertThatThrownBy(() -> TpoEnvironment.settings(Map.of("TPO_EARLY_STOP_ROUNDS", "-1")::get))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("TPO_EARLY_STOP_ROUNDS=-1: must be ")
        .hasMessageContaining("unset TPO_EARLY_STOP_ROUNDS");
    assertThatThrownBy(() -> TpoEnvironment.settings(Map.of("TPO_EARLY_STOP_MARGIN", " -0.1")::get))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("TPO_EARLY_STOP_MARGIN=-0.1: must be ")
        .hasMessageContaining("unset TPO_EARLY_STOP_MARGIN");
    assertThatThrownBy(() -> TpoEnvironment.settings(Map.of("TPO_STOP_AT_MAX_SCORE", "yes")::get))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("TPO_STOP_AT_MAX_SCORE is not true or false: 'yes'")
        .hasMessageContaining("unset it or give true or false");
    assertThatThrownBy(() -> TpoEnvironment.settings(Map.of("TPO_PROMPT_LAYOUT", "wide")::get))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("TPO_PROMPT_LAYOUT is not a prompt layout: 'wide'")
        .hasMessageContaining("reference or prefix-shared");
  }
}
