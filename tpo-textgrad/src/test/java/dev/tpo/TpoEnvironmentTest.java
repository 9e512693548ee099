package dev.tpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorerProvider;
import dev.tpo.core.testing.FakeRewardScorer;
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
}
