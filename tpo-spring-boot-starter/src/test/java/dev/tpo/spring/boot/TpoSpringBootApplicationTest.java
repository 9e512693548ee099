package dev.tpo.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.Tpo;
import dev.tpo.TpoResult;
import dev.tpo.micrometer.TpoMetricNames;
import dev.tpo.simulator.SimulatedOpenAiServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring Boot application with only the starter (and Actuator) and three properties, against the
 * simulated server: it gets a working {@code Tpo}, metrics and a health indicator.
 */
@SpringBootTest(classes = TpoSpringBootApplicationTest.App.class,
    properties = "management.endpoint.health.show-details=always")
class TpoSpringBootApplicationTest {
  static final SimulatedOpenAiServer SERVER = SimulatedOpenAiServer.start();

  /** The whole application: no bean of its own. */
  @SpringBootApplication
  static class App {}

  @DynamicPropertySource
  static void tpo(DynamicPropertyRegistry registry) {
    registry.add("tpo.policy.base-url", SERVER::openAiBaseUrl);
    registry.add("tpo.policy.model", () -> "sim-model");
    registry.add("tpo.reward.spec", () -> "vllm+" + SERVER.baseUrl());
  }

  @AfterAll
  static void stop() {
    SERVER.close();
  }

  @Autowired
  Tpo tpo;

  @Autowired
  MeterRegistry meters;

  @Autowired
  HealthEndpoint health;

  @Test
  void theInjectedTpoOptimizesAgainstTheServerAndIsMeasured() {
    TpoResult result = tpo.optimize("Explain TCP slow start.");

    assertThat(result.answer()).isNotBlank();
    assertThat(result.rounds()).hasSize(2);
    assertThat(result.sampling().model()).isEqualTo("sim-model");
    assertThat(SERVER.stats().requestsByPath()).containsKey(SimulatedOpenAiServer.POOLING_PATH);
    assertThat(meters.get(TpoMetricNames.PHASE_DURATION).tag(TpoMetricNames.PHASE, "update")
        .tag(TpoMetricNames.MODEL, "sim-model").timer().count()).isEqualTo(2);
    assertThat(meters.get(TpoMetricNames.TOKENS).tag(TpoMetricNames.PHASE, "sampling")
        .tag(TpoMetricNames.TOKEN_TYPE, "input").counter().count())
        .isEqualTo(result.sampling().usage().promptTokens());
  }

  @Test
  void theHealthEndpointShowsTheTpoComponentUp() {
    assertThat(health.healthForPath("tpo").getStatus()).isEqualTo(Status.UP);
  }
}
