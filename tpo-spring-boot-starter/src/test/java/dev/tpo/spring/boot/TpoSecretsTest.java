package dev.tpo.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.tpo.Tpo;
import dev.tpo.core.error.AuthenticationException;
import dev.tpo.simulator.SimulatedOpenAiServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The API keys of tpo.* never show in logs, metrics, health details or failure messages. */
@ExtendWith(OutputCaptureExtension.class)
class TpoSecretsTest {
  private static final String POLICY_KEY = "sk-policy-SECRET-27182";
  private static final String REWARD_KEY = "sk-reward-SECRET-16180";

  @Test
  void aRefusedKeyLeaksNowhere(CapturedOutput output) {
    // everything TPO, the SDK, OkHttp and Spring log, at DEBUG, goes into the captured output
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    root.setLevel(Level.DEBUG);
    try {
      runAndFailWithAWrongKey();
    } finally {
      root.setLevel(before);
    }
    assertThat(output.getAll()).contains("DEBUG").contains("tpo")
        .doesNotContain(POLICY_KEY).doesNotContain(REWARD_KEY);
  }

  private static void runAndFailWithAWrongKey() {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder()
        .requireApiKey("the-right-key").start()) {
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(TpoAutoConfiguration.class,
              TpoMetricsAutoConfiguration.class, TpoHealthAutoConfiguration.class))
          .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
          .withPropertyValues("tpo.policy.base-url=" + server.openAiBaseUrl(),
              "tpo.policy.model=sim-model", "tpo.policy.api-key=" + POLICY_KEY,
              "tpo.policy.max-retries=0", "tpo.reward.api-key=" + REWARD_KEY,
              "tpo.reward.spec=vllm+" + server.baseUrl(), "tpo.samples=2", "tpo.iterations=1")
          .run(context -> {
            StringBuilder seen = new StringBuilder();
            assertThatThrownBy(() -> context.getBean(Tpo.class).optimize("q"))
                .isInstanceOf(AuthenticationException.class)
                .satisfies(e -> seen.append(e).append(e.getCause()));
            seen.append(context.getBean(TpoHealthIndicator.class).health());
            seen.append(context.getBean(TpoProperties.class));
            seen.append(context.getBean(Tpo.class));
            for (Meter meter : context.getBean(MeterRegistry.class).getMeters()) {
              seen.append(meter.getId());
            }
            assertThat(seen.toString()).contains("AuthenticationException")
                .doesNotContain(POLICY_KEY).doesNotContain(REWARD_KEY);
          });
    }
  }
}
