package dev.tpo.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.TpoSettings;
import dev.tpo.cli.data.Prompt;
import dev.tpo.core.event.TpoListener;
import dev.tpo.simulator.RecordedRequest;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which key reaches which server, over loopback HTTP through the real adapters. */
@Timeout(60)
class TpoRunnerFactoryKeysTest {

  private static RunConfig config(SimulatedOpenAiServer server, Optional<String> rewardKey) {
    return new RunConfig(server.openAiBaseUrl(), Optional.of("sim-model"),
        Optional.of("sk-policy-1"), rewardKey, "vllm+" + server.baseUrl(), "tpo",
        TpoSettings.builder().samples(2).iterations(1).maxTokens(64).build(), 1,
        Duration.ofSeconds(30), 1);
  }

  private static void runOnePrompt(RunConfig config) throws Exception {
    RunnerFactory.Prepared prepared = new TpoRunnerFactory().prepare(config, TpoListener.NONE);
    try {
      PromptOutcome outcome = prepared.runner().run(new Prompt("q1", "Why is the sky blue?", 1));
      assertThat(outcome.answer()).isNotBlank();
    } finally {
      for (AutoCloseable c : prepared.resources()) {
        c.close();
      }
    }
  }

  private static List<String> auth(SimulatedOpenAiServer server, String path) {
    return server.requests(path).stream().map(r -> r.header("Authorization")).distinct().toList();
  }

  @Test
  void theRewardKeyGoesToTheRewardServerAndThePolicyKeyToThePolicyServer() throws Exception {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start()) {
      runOnePrompt(config(server, Optional.of("sk-reward-2")));
      assertThat(auth(server, SimulatedOpenAiServer.CHAT_PATH))
          .containsExactly("Bearer sk-policy-1");
      assertThat(auth(server, SimulatedOpenAiServer.POOLING_PATH))
          .containsExactly("Bearer sk-reward-2");
    }
  }

  @Test
  void withoutARewardKeyThePolicyKeyIsSentToTheRewardServer() throws Exception {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.start()) {
      runOnePrompt(config(server, Optional.empty()));
      assertThat(auth(server, SimulatedOpenAiServer.POOLING_PATH))
          .containsExactly("Bearer sk-policy-1");
      assertThat(server.requests().stream().map(RecordedRequest::path))
          .contains(SimulatedOpenAiServer.MODELS_PATH);
    }
  }
}
