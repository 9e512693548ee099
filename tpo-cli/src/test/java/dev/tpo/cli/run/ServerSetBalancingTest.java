package dev.tpo.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.TpoSettings;
import dev.tpo.adapter.balance.BalancedLanguageModel;
import dev.tpo.adapter.balance.EndpointStatus;
import dev.tpo.adapter.balance.RunAffinity;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --max-in-flight-per-server} and {@code --spill-after-queued} reach the policy balancer
 * that {@link ServerSet} builds over several servers: with a cap of one and spillover at zero
 * queued, a run's second request, sent while its first holds the run's server, goes to the other
 * server; without spillover it waits for the run's own.
 */
class ServerSetBalancingTest {

  private static RunConfig config(SimulatedOpenAiServer a, SimulatedOpenAiServer b,
      RunConfig.Balancing balancing) {
    return new RunConfig(a.openAiBaseUrl() + "," + b.openAiBaseUrl(), Optional.of("sim-model"),
        Optional.empty(), Optional.empty(), "vllm+" + a.baseUrl() + "?model=sim-reward", "tpo",
        TpoSettings.builder().build(), 2, Duration.ofSeconds(10), 1)
        .withBalancing(balancing);
  }

  /**
   * Sends two requests of one run, the second while the first is in flight (each takes 400 ms);
   * gives the balancer's view of its endpoints just after both were sent, then the answers.
   */
  private static List<ChatResponse> twoRequestsOfOneRun(BalancedLanguageModel policy,
      List<EndpointStatus> whileInFlight) throws Exception {
    ChatRequest request = ChatRequest.builder().user("Why is the sky blue?").maxTokens(16)
        .build();
    CompletableFuture<ChatResponse> first =
        RunAffinity.call("run-1", () -> policy.chatAsync(request));
    CompletableFuture<ChatResponse> second =
        RunAffinity.call("run-1", () -> policy.chatAsync(request));
    whileInFlight.addAll(policy.endpoints());
    return List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS));
  }

  @Test
  void withSpilloverTheRunsSecondRequestGoesToTheFreeServer() throws Exception {
    try (SimulatedOpenAiServer a = SimulatedOpenAiServer.builder()
            .latency(Duration.ofMillis(400)).start();
        SimulatedOpenAiServer b = SimulatedOpenAiServer.builder()
            .latency(Duration.ofMillis(400)).start()) {
      List<AutoCloseable> resources = new ArrayList<>();
      LanguageModel policy = ServerSet.policy(config(a, b, new RunConfig.Balancing(1, 0)),
          "sim-model", resources);
      try {
        assertThat(policy).isInstanceOf(BalancedLanguageModel.class);
        BalancedLanguageModel balanced = (BalancedLanguageModel) policy;

        List<EndpointStatus> whileInFlight = new ArrayList<>();
        List<ChatResponse> answers = twoRequestsOfOneRun(balanced, whileInFlight);

        assertThat(balanced.servedBy(answers.get(0)))
            .isNotEqualTo(balanced.servedBy(answers.get(1)));
        assertThat(balanced.endpoints()).extracting(EndpointStatus::spilledIn)
            .containsExactlyInAnyOrder(0L, 1L);
        // one request on each server, none waiting: the second left the full one
        assertThat(whileInFlight).extracting(EndpointStatus::inFlight).containsOnly(1);
        assertThat(whileInFlight).extracting(EndpointStatus::queued).containsOnly(0);
        assertThat(a.stats().requests(SimulatedOpenAiServer.CHAT_PATH)).isEqualTo(1);
        assertThat(b.stats().requests(SimulatedOpenAiServer.CHAT_PATH)).isEqualTo(1);
      } finally {
        for (AutoCloseable c : resources) {
          c.close();
        }
      }
    }
  }

  @Test
  void withoutSpilloverTheRunWaitsForItsOwnServer() throws Exception {
    try (SimulatedOpenAiServer a = SimulatedOpenAiServer.builder()
            .latency(Duration.ofMillis(400)).start();
        SimulatedOpenAiServer b = SimulatedOpenAiServer.builder()
            .latency(Duration.ofMillis(400)).start()) {
      List<AutoCloseable> resources = new ArrayList<>();
      LanguageModel policy = ServerSet.policy(config(a, b, new RunConfig.Balancing(1, -1)),
          "sim-model", resources);
      try {
        BalancedLanguageModel balanced = (BalancedLanguageModel) policy;

        List<EndpointStatus> whileInFlight = new ArrayList<>();
        List<ChatResponse> answers = twoRequestsOfOneRun(balanced, whileInFlight);

        assertThat(balanced.servedBy(answers.get(0)))
            .isEqualTo(balanced.servedBy(answers.get(1)));
        assertThat(balanced.endpoints()).extracting(EndpointStatus::spilledIn)
            .containsOnly(0L);
        // the cap of one: the run's server has one in flight and the second waiting for it,
        // while the other server has none
        assertThat(whileInFlight).extracting(EndpointStatus::inFlight)
            .containsExactlyInAnyOrder(1, 0);
        assertThat(whileInFlight).extracting(EndpointStatus::queued)
            .containsExactlyInAnyOrder(1, 0);
        assertThat(a.stats().requests(SimulatedOpenAiServer.CHAT_PATH)
            + b.stats().requests(SimulatedOpenAiServer.CHAT_PATH)).isEqualTo(2);
      } finally {
        for (AutoCloseable c : resources) {
          c.close();
        }
      }
    }
  }
}
