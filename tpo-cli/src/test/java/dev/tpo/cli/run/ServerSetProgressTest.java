package dev.tpo.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.TpoSettings;
import dev.tpo.cli.progress.ProgressReporter;
import dev.tpo.cli.progress.ProgressStyle;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The progress line shows each server's load and state when a run is balanced over several. */
class ServerSetProgressTest {

  @Test
  void progressShowsEveryServer() throws Exception {
    try (SimulatedOpenAiServer a = SimulatedOpenAiServer.start();
        SimulatedOpenAiServer b = SimulatedOpenAiServer.start()) {
      RunConfig config = new RunConfig(a.openAiBaseUrl() + "," + b.openAiBaseUrl(),
          Optional.of("sim-model"), Optional.empty(), Optional.empty(),
          "vllm+" + a.baseUrl() + "?model=sim-reward", "tpo",
          TpoSettings.builder().samples(2).iterations(1).maxTokens(64).maxContextTokens(4096)
              .build(), 2, Duration.ofSeconds(5), 1);
      ProgressReporter reporter = new ProgressReporter(1, new PrintStream(
          new ByteArrayOutputStream()), ProgressStyle.OFF, Duration.ofSeconds(1));
      RunnerFactory.Prepared prepared = new TpoRunnerFactory().prepare(config, reporter);
      try {
        assertThat(reporter.statusLine()).contains("| servers: " + a.openAiBaseUrl()
            + " healthy 0, " + b.openAiBaseUrl() + " healthy 0");
      } finally {
        for (AutoCloseable c : prepared.resources()) {
          c.close();
        }
      }
    }
  }
}
