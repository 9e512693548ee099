package dev.tpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.model.LanguageModelProvider;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorerProvider;
import dev.tpo.core.reward.RewardScorers;
import dev.tpo.core.testing.FakeRewardScorer;
import dev.tpo.core.testing.ScriptedLanguageModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The default instance's configuration, from maps instead of the process environment. */
class TpoEnvironmentTest {

  private static final class FakeProvider implements RewardScorerProvider {
    final AtomicReference<RewardScorerContext> context = new AtomicReference<>();

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public boolean supports(String spec) {
      return spec.startsWith("fake:");
    }

    @Override
    public RewardScorer create(String spec, RewardScorerContext ctx) {
      context.set(ctx);
      return FakeRewardScorer.byLength();
    }

    @Override
    public String syntax() {
      return "fake:NAME";
    }
  }

  @Test
  void missingSettingsAreNamedWithTheirVariablesAndProperties() {
    assertThatThrownBy(() -> TpoEnvironment.create(k -> null, k -> null, List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("TPO_BASE_URL (or -Dtpo.baseUrl)")
        .hasMessageContaining("TPO_MODEL (or -Dtpo.model)")
        .hasMessageContaining("TPO_REWARD (or -Dtpo.reward)")
        .hasMessageContaining("Tpo.builder()");
    Map<String, String> env = Map.of("TPO_BASE_URL", "http://localhost:8000/v1",
        "TPO_REWARD", "fake:x");
    assertThatThrownBy(() -> TpoEnvironment.create(env::get, k -> null, List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("TPO_MODEL")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("TPO_BASE_URL (or"));
  }

  @Test
  void buildsFromVariablesWithPropertiesTakingPrecedenceAndKeepsKeysOutOfMessages() {
    FakeProvider provider = new FakeProvider();
    Map<String, String> env = new HashMap<>(Map.of(
        "TPO_BASE_URL", "http://localhost:1/v1", "TPO_MODEL", "env-model",
        "TPO_API_KEY", "sk-secret-123", "TPO_REWARD", "fake:a",
        "TPO_REWARD_API_KEY", "rk-secret-456"));
    Map<String, String> props = Map.of("tpo.model", "prop-model");
    Tpo tpo = TpoEnvironment.create(env::get, props::get, List.of(provider));

    assertThat(tpo.toString()).contains("prop-model").doesNotContain("sk-secret-123")
        .doesNotContain("rk-secret-456");
    assertThat(provider.context.get().apiKey()).contains("rk-secret-456");
    assertThat(provider.context.get().judgeModel()).isPresent();
    assertThat(tpo.settings()).isEqualTo(TpoSettings.DEFAULTS);
  }

  @Test
  void anUnknownRewardSpecFailsNamingIt() {
    Map<String, String> env = Map.of("TPO_BASE_URL", "http://localhost:1/v1",
        "TPO_MODEL", "m", "TPO_REWARD", "nonsense");
    assertThatThrownBy(() -> TpoEnvironment.create(env::get, k -> null, List.of(new FakeProvider())))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("nonsense");
  }

  /** Stands in for tpo-llamacpp's provider: {@code fake-gguf:NAME} specs and an embedded default. */
  private static final class FakeModels implements LanguageModelProvider {
    final List<String> created = new ArrayList<>();
    final boolean embedded;

    FakeModels(boolean embedded) {
      this.embedded = embedded;
    }

    @Override
    public String name() {
      return "fake-gguf";
    }

    @Override
    public boolean supports(String spec) {
      return spec.startsWith("fake-gguf:");
    }

    @Override
    public LanguageModel create(String spec) {
      created.add(spec);
      return new ScriptedLanguageModel().named(spec.substring("fake-gguf:".length()));
    }

    @Override
    public java.util.Optional<String> embeddedDefaultSpec() {
      return embedded ? java.util.Optional.of("fake-gguf:tiny-default") : java.util.Optional.empty();
    }

    @Override
    public String syntax() {
      return "fake-gguf:NAME";
    }
  }

  @Test
  void tpoPolicyNamesAnInProcessModelThatWinsOverTheBaseUrlAndIsItsOwnJudge() {
    FakeModels models = new FakeModels(true);
    Map<String, String> env = Map.of("TPO_POLICY", "fake-gguf:local",
        "TPO_BASE_URL", "http://localhost:1/v1");
    Tpo tpo = TpoEnvironment.create(env::get, k -> null, RewardScorers.providers(),
        List.of(models));
    assertThat(models.created).containsExactly("fake-gguf:local");
    assertThat(tpo.toString()).contains("policy=local").contains("scorer=judge(local)");

    Map<String, String> props = Map.of("tpo.policy", "fake-gguf:from-property");
    FakeProvider rewards = new FakeProvider();
    Tpo fromProperty = TpoEnvironment.create(Map.of("TPO_REWARD", "fake:r")::get, props::get,
        List.of(rewards), List.of(models));
    assertThat(fromProperty.toString()).contains("policy=from-property");
    assertThat(rewards.context.get().judgeModel()).get()
        .extracting(LanguageModel::name).isEqualTo("from-property");
  }

  @Test
  void withNothingSetTheEmbeddedDefaultModelRunsWithTheJudgeOnIt() {
    FakeModels models = new FakeModels(true);
    Tpo tpo = TpoEnvironment.create(k -> null, k -> null, RewardScorers.providers(),
        List.of(new FakeModels(false), models));
    assertThat(models.created).containsExactly("fake-gguf:tiny-default");
    assertThat(tpo.toString()).contains("policy=tiny-default")
        .contains("scorer=judge(tiny-default)");
  }

  @Test
  void theInstanceGetsEarlyStopAndThePromptLayoutFromTheVariables() {
    Map<String, String> env = Map.of("TPO_POLICY", "fake-gguf:local",
        "TPO_EARLY_STOP_ROUNDS", "3", "TPO_EARLY_STOP_MARGIN", "0.5",
        "TPO_STOP_AT_MAX_SCORE", "true", "TPO_PROMPT_LAYOUT", "prefix-shared");
    Tpo tpo = TpoEnvironment.create(env::get, k -> null, RewardScorers.providers(),
        List.of(new FakeModels(false)));
    assertThat(tpo.settings().earlyStopRounds()).isEqualTo(3);
    assertThat(tpo.settings().earlyStopMargin()).isEqualTo(0.5);
    assertThat(tpo.settings().stopAtMaxScore()).isTrue();
    assertThat(tpo.settings().promptLayout()).isEqualTo(PromptLayout.PREFIX_SHARED);
    assertThat(tpo.settings().samples()).isEqualTo(TpoSettings.DEFAULTS.samples());
    assertThat(tpo.streamScoring()).isFalse();
  }

  @Test
  void withNothingSetAndNoEmbeddedModelTheErrorNamesTheDependencyAndTheVariables() {
    assertThatThrownBy(() -> TpoEnvironment.create(k -> null, k -> null,
        RewardScorers.providers(), List.of(new FakeModels(false))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dev.tpo:tpo-llamacpp")
        .hasMessageContaining("TPO_BASE_URL")
        .hasMessageContaining("TPO_POLICY");
    assertThatThrownBy(() -> TpoEnvironment.create(Map.of("TPO_POLICY", "llama:/m.gguf")::get,
        k -> null, RewardScorers.providers(), List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'llama:/m.gguf'")
        .hasMessageContaining("dev.tpo:tpo-llamacpp");
  }
}
