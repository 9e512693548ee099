package dev.tpo.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

class TpoSpringApplicationTest {

  @Test
  void threePropertiesAndAPromptGiveAnOptimizedAnswer() {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start()) {
      System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
      try (ConfigurableApplicationContext context = SpringApplication.run(
          TpoSpringApplication.class, "--tpo.policy.base-url=" + server.openAiBaseUrl(),
          "--tpo.policy.model=sim-model", "--tpo.reward.spec=vllm+" + server.baseUrl(),
          "--tpo.samples=3", "--prompt=How do I boil an egg?")) {
        assertThat(context.isActive()).isTrue();
      } finally {
        System.setOut(original);
      }
      assertThat(server.stats().requestsByPath()).containsKey(SimulatedOpenAiServer.POOLING_PATH);
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8)).containsPattern("score -?\\d+\\.\\d{3}, \\d+ tokens");
  }
}
