package dev.tpo.reliability;

import dev.tpo.Tpo;
import dev.tpo.TpoBuilder;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.adapter.reward.VllmRewardScorer;
import dev.tpo.core.event.RunFailed;
import dev.tpo.core.event.RunWarning;
import dev.tpo.core.event.TpoListener;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The stack of the reliability tests: the simulated server on loopback, the real
 * OpenAI-compatible policy and vLLM reward scorer over HTTP with short timeouts and instant retry
 * waits (recorded), and a listener that keeps warnings and failures. Small runs (N=2, D=1).
 */
final class Harness implements AutoCloseable {
  /** A distinctive fake API key the server requires and that must never show up anywhere. */
  static final String API_KEY = "sk-reliability-3f9c2e7a1b";

  final SimulatedOpenAiServer server;
  final OpenAiCompatibleModel policy;
  final VllmRewardScorer scorer;
  /** The waits the policy's SDK asked for between retries (skipped, not slept). */
  final List<Duration> policyWaits = new CopyOnWriteArrayList<>();
  final List<RunWarning> warnings = new CopyOnWriteArrayList<>();
  final List<RunFailed> failures = new CopyOnWriteArrayList<>();

  Harness() {
    this(SimulatedOpenAiServer.builder());
  }

  Harness(SimulatedOpenAiServer.Builder serverBuilder) {
    this(serverBuilder, 2);
  }

  Harness(SimulatedOpenAiServer.Builder serverBuilder, int maxRetries) {
    this(serverBuilder, maxRetries, API_KEY);
  }

  Harness(SimulatedOpenAiServer.Builder serverBuilder, int maxRetries, String apiKey) {
    server = serverBuilder.requireApiKey(apiKey).start();
    policy = OpenAiCompatibleModel.builder()
        .baseUrl(server.openAiBaseUrl())
        .model("sim-model")
        .apiKey(apiKey)
        .maxRetries(maxRetries)
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofMillis(1500))
        .timeout(Duration.ofSeconds(10))
        .retrySleeper(delay -> {
          policyWaits.add(delay);
          return CompletableFuture.completedFuture(null);
        })
        .build();
    scorer = VllmRewardScorer.builder()
        .baseUrl(server.baseUrl())
        .model("sim-reward")
        .apiKey(apiKey)
        .timeout(Duration.ofMillis(1500))
        .maxRetries(maxRetries)
        .retryBackoff(Duration.ZERO)
        .build();
  }

  /** @return a builder over this stack with N=2, D=1 and the recording listener */
  TpoBuilder tpo() {
    return Tpo.builder().policy(policy).scorer(scorer).samples(2).iterations(1)
        .listener(new TpoListener() {
          @Override
          public void onWarning(RunWarning e) {
            warnings.add(e);
          }

          @Override
          public void onRunFailed(RunFailed e) {
            failures.add(e);
          }
        });
  }

  @Override
  public void close() {
    try {
      policy.close();
    } finally {
      server.close();
    }
  }
}
