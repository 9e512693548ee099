package dev.tpo.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.PromptLayout;
import dev.tpo.Tpo;
import dev.tpo.TpoSettings;
import dev.tpo.core.error.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The early-stop, prompt-layout and streamed-scoring settings of a job spec, without Spark: their
 * defaults, their checks, the spec's serialized form, the executors' {@link Tpo} and the options of
 * {@link TpoSparkJob}.
 */
class TpoJobSpecTest {

  private static TpoJobSpec.Builder spec() {
    return TpoJobSpec.builder().baseUrl("http://127.0.0.1:9/v1").model("m");
  }

  private static Tpo executorTpo(TpoJobSpec spec) {
    ExecutorTpo.Built built = ExecutorTpo.build(spec, names -> Optional.empty());
    ExecutorTpo.close(built.resources());
    return built.tpo();
  }

  @Test
  void theDefaultsAreTheLibrarysAndReachTheExecutorsTpo() {
    TpoJobSpec s = spec().build();
    assertThat(s.earlyStopRounds()).isZero();
    assertThat(s.earlyStopMargin()).isZero();
    assertThat(s.stopAtMaxScore()).isFalse();
    assertThat(s.promptLayout()).isEqualTo(PromptLayout.REFERENCE);
    assertThat(s.streamScoring()).isFalse();
    Tpo tpo = executorTpo(s);
    assertThat(tpo.settings().earlyStopRounds()).isEqualTo(TpoSettings.DEFAULTS.earlyStopRounds());
    assertThat(tpo.settings().earlyStopMargin()).isEqualTo(TpoSettings.DEFAULTS.earlyStopMargin());
    assertThat(tpo.settings().stopAtMaxScore()).isEqualTo(TpoSettings.DEFAULTS.stopAtMaxScore());
    assertThat(tpo.settings().promptLayout()).isEqualTo(TpoSettings.DEFAULTS.promptLayout());
    assertThat(tpo.streamScoring()).isFalse();
  }

  @Test
  void everySettingReachesTheExecutorsTpoAndSurvivesSerialization() throws Exception {
    TpoJobSpec s = spec().earlyStopRounds(3).earlyStopMargin(0.25).stopAtMaxScore(true)
        .promptLayout(PromptLayout.PREFIX_SHARED).streamScoring(true).build();
    assertThat(s.toString()).contains("earlyStopRounds=3", "earlyStopMargin=0.25",
        "stopAtMaxScore=true", "promptLayout=PREFIX_SHARED", "streamScoring=true");
    assertThat(s).isNotEqualTo(spec().build());

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    TpoJobSpec shipped;
    try (ObjectInputStream in = new ObjectInputStream(
        new ByteArrayInputStream(bytes.toByteArray()))) {
      shipped = (TpoJobSpec) in.readObject();
    }
    assertThat(shipped).isEqualTo(s);
    assertThat(shipped.promptLayout()).isSameAs(PromptLayout.PREFIX_SHARED);

    Tpo tpo = executorTpo(shipped);
    assertThat(tpo.settings().earlyStopRounds()).isEqualTo(3);
    assertThat(tpo.settings().earlyStopMargin()).isEqualTo(0.25);
    assertThat(tpo.settings().stopAtMaxScore()).isTrue();
    assertThat(tpo.settings().promptLayout()).isEqualTo(PromptLayout.PREFIX_SHARED);
    assertThat(tpo.streamScoring()).isTrue();
  }

  @Test
  void badValuesAreRefusedNamingTheFieldAndTheValue() {
    assertThatThrownBy(() -> spec().earlyStopRounds(-1).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("TpoJobSpec.earlyStopRounds must be between 0 and 1000, got -1");
    assertThatThrownBy(() -> spec().earlyStopMargin(-0.5).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("TpoJobSpec.earlyStopMargin must be at least 0 and finite, got -0.5");
    assertThatThrownBy(() -> spec().earlyStopMargin(Double.NaN).build())
        .hasMessageContaining("TpoJobSpec.earlyStopMargin");
    assertThatThrownBy(() -> spec().promptLayout(null).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("TpoJobSpec.promptLayout must be set");
  }

  @Test
  void theJobsOptionsSetThemAndNameABadValue() {
    String[] base = {"--input", "in.jsonl", "--output", "out", "--base-url",
        "http://127.0.0.1:9/v1", "--model", "m"};
    TpoJobSpec plain = TpoSparkJob.Options.parse(base).spec.build();
    assertThat(plain).isEqualTo(spec().build());

    String[] all = concat(base, "--early-stop-rounds", "2", "--early-stop-margin", "0.1",
        "--stop-at-max-score", "--prompt-layout", "prefix-shared", "--stream-scoring");
    TpoJobSpec s = TpoSparkJob.Options.parse(all).spec.build();
    assertThat(s).isEqualTo(spec().earlyStopRounds(2).earlyStopMargin(0.1).stopAtMaxScore(true)
        .promptLayout(PromptLayout.PREFIX_SHARED).streamScoring(true).build());

    assertThatThrownBy(() -> TpoSparkJob.run(concat(base, "--prompt-layout", "wide")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("--prompt-layout must be reference or prefix-shared, got 'wide'");
    assertThatThrownBy(() -> TpoSparkJob.run(concat(base, "--early-stop-rounds", "two")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("--early-stop-rounds must be a whole number, got 'two'");
    assertThatThrownBy(() -> TpoSparkJob.run(concat(base, "--early-stop-margin", "-1")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("TpoJobSpec.earlyStopMargin");
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
