package dev.tpo.examples.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.testing.FakeRewardScorer;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MicrometerExampleTest {

  @Test
  void printsOneSpanPerPhaseInsideTheRunAndThePhaseMeters() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start();
        OpenAiCompatibleModel policy = OpenAiCompatibleModel.builder()
            .baseUrl(server.openAiBaseUrl()).model("sim-model").build()) {
      MicrometerExample.run(policy, FakeRewardScorer.byLength(), "q",
          new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out.lines().filter(l -> l.startsWith("span tpo ")).count()).isEqualTo(10);
    assertThat(out.lines().filter(l -> l.startsWith("span tpo.run ")).count()).isEqualTo(1);
    assertThat(out.lines().filter(l -> l.startsWith("span ")).map(l -> l.split("trace ")[1]
        .split(" ")[0]).distinct().count()).isEqualTo(1);
    assertThat(out).contains("model=sim-model").contains("phase timers:")
        .containsPattern("update\\s+sim-model\\s+2 calls")
        .containsPattern("tokens sampling\\s+input");
  }
}
