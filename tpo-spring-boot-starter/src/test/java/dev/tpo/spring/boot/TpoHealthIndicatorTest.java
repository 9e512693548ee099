package dev.tpo.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.simulator.SimulatedOpenAiServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The health indicator against the simulated server: up while it serves, down once it stops. */
class TpoHealthIndicatorTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TpoAutoConfiguration.class,
          TpoHealthAutoConfiguration.class));

  @Test
  void upWhileTheServerServesDownWhenItIsGone() {
    SimulatedOpenAiServer server = SimulatedOpenAiServer.start();
    String secret = "sk-health-SECRET-31415";
    runner.withPropertyValues("tpo.policy.base-url=" + server.openAiBaseUrl(),
        "tpo.policy.model=sim-model", "tpo.policy.api-key=" + secret,
        "tpo.reward.spec=vllm+" + server.baseUrl() + "?model=sim-reward").run(context -> {
          TpoHealthIndicator indicator = context.getBean(TpoHealthIndicator.class);
          Health up = indicator.health();
          assertThat(up.getStatus()).isEqualTo(Status.UP);
          assertThat(detail(up, "policy")).containsEntry("model", "sim-model")
              .containsEntry("url", server.openAiBaseUrl()).containsEntry("status", "UP");
          assertThat(detail(up, "reward")).containsEntry("url", server.baseUrl())
              .containsEntry("status", "UP");

          server.close();
          Health down = indicator.health();
          assertThat(down.getStatus()).isEqualTo(Status.DOWN);
          assertThat(detail(down, "policy")).containsEntry("status", "DOWN");
          assertThat(detail(down, "policy").get("error").toString())
              .contains(server.openAiBaseUrl());
          assertThat(detail(down, "reward")).containsEntry("status", "DOWN");
          assertThat(up.toString() + down).doesNotContain(secret);
        });
  }

  @Test
  void anUnknownModelIsDown() {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start()) {
      runner.withPropertyValues("tpo.policy.base-url=" + server.openAiBaseUrl(),
          "tpo.policy.model=no-such-model", "tpo.reward.spec=judge").run(context -> {
            Health health = context.getBean(TpoHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(detail(health, "policy").get("error").toString())
                .contains("no-such-model").contains("sim-model");
            assertThat(detail(health, "reward").get("status").toString()).contains("not checked");
          });
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> detail(Health health, String name) {
    return (Map<String, Object>) health.getDetails().get(name);
  }
}
