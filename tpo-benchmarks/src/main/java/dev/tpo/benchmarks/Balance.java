package dev.tpo.benchmarks;

import dev.tpo.Tpo;
import dev.tpo.TpoOutcome;
import dev.tpo.TpoRequest;
import dev.tpo.adapter.balance.BalancedLanguageModel;
import dev.tpo.adapter.balance.BalancedRewardScorer;
import dev.tpo.adapter.balance.EndpointStatus;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.adapter.reward.VllmRewardScorer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Measure 7: one batch over four simulated servers (each in its own JVM), one of them three times
 * slower, through {@link BalancedLanguageModel} and {@link BalancedRewardScorer}.
 * <ul>
 *   <li>6a: batch wall time against the ideal for the servers' combined capacity: every chat
 *       request of the batch divided by {@code sum(slots / latency)} over the servers, where the
 *       slots are the balancer's per-endpoint cap (the server's concurrency);
 *   <li>6b: the same batch with one fast server killed (SIGKILL) at 40% of the ideal: every prompt
 *       must end with exactly one result; the wall time is reported against the ideal for the
 *       capacity before and after the kill.
 * </ul>
 * Reward scoring uses vLLM's {@code /classify} with no latency on the same four servers, so
 * the chat requests are what the capacity is made of.
 *
 * <p>Not instantiable; thread-safe.
 */
final class Balance {
  private static final int SERVERS = 4;
  private static final double SLOW_FACTOR = 3;
  private static final com.sun.management.OperatingSystemMXBean CLIENT_CPU =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  private Balance() {}

  /**
   * Runs 6a and 6b.
   *
   * @param prompts prompts per batch
   * @param latencyMs the fast servers' latency per chat request
   * @param slots the balancer's cap per endpoint
   * @param concurrency runs in flight
   * @param spill the balancer's {@code spillAfterQueued}, or null for none (the default)
   * @param withKill whether 7b runs after 7a
   * @return the results
   */
  static List<Result> measure(int prompts, double latencyMs, int slots, int concurrency,
      Integer spill, boolean withKill) {
    List<Result> out = new ArrayList<>();
    out.add(batch(prompts, latencyMs, slots, concurrency, spill, false));
    if (withKill) {
      out.add(batch(prompts, latencyMs, slots, concurrency, spill, true));
    }
    return out;
  }

  private static Result batch(int prompts, double latencyMs, int slots, int concurrency,
      Integer spill, boolean kill) {
    List<SimulatorProcess> sims = new ArrayList<>();
    double[] latency = new double[SERVERS];
    try {
      for (int i = 0; i < SERVERS; i++) {
        latency[i] = i == SERVERS - 1 ? SLOW_FACTOR * latencyMs : latencyMs;
        sims.add(SimulatorProcess.start("--words", "60", "--latency-ms",
            Long.toString(Math.round(latency[i])), "--reward-latency-ms", "0"));
      }
      BalancedLanguageModel.Builder pb = BalancedLanguageModel.builder()
          .maxConcurrentPerEndpoint(slots).probeAfter(Duration.ofSeconds(5));
      if (spill != null) {
        pb.spillAfterQueued(spill);
      }
      BalancedRewardScorer.Builder rb = BalancedRewardScorer.builder()
          .maxConcurrentPerEndpoint(4 * slots).probeAfter(Duration.ofSeconds(5));
      for (SimulatorProcess s : sims) {
        pb.endpoint(OpenAiCompatibleModel.builder().baseUrl(s.baseUrl() + "/v1")
            .model("sim-model").maxRetries(0).maxConcurrentRequests(4 * slots)
            .timeout(Duration.ofMinutes(2)).build());
        rb.endpoint(s.baseUrl(), VllmRewardScorer.builder().baseUrl(s.baseUrl())
            .model("sim-reward").endpoint(VllmRewardScorer.Endpoint.CLASSIFY).maxRetries(0)
            .maxConcurrentRequests(4 * slots).timeout(Duration.ofMinutes(2)).build());
      }
      try (BalancedLanguageModel policy = pb.build(); BalancedRewardScorer scorer = rb.build()) {
        Tpo tpo = Tpo.builder().policy(policy).scorer(scorer)
            .samples(TpoDriver.SAMPLES).iterations(TpoDriver.DEPTH).build();
        // warm up every endpoint's client and both JVMs' hot paths, then count from zero
        tpo.optimizePrompts(Workloads.prompts(concurrency), concurrency);
        long servedBefore = served(policy);
        long spilledBefore = spilled(policy);
        double load0 = CLIENT_CPU.getSystemLoadAverage();
        sims.forEach(SimulatorProcess::reset);
        long clientCpu0 = CLIENT_CPU.getProcessCpuTime();
        long serverCpu0 = 0;
        for (SimulatorProcess sim : sims) {
          serverCpu0 += sim.stats().path("processCpuNanos").asLong();
        }

        List<TpoRequest> requests = new ArrayList<>();
        List<String> texts = Workloads.prompts(prompts);
        for (int i = 0; i < prompts; i++) {
          requests.add(TpoRequest.builder(texts.get(i)).id("p" + i).build());
        }
        double capacity = 0; // chat requests per second
        for (double l : latency) {
          capacity += slots / (l / 1000);
        }
        double after = capacity - slots / (latency[0] / 1000);
        int chatPerPrompt = 1 + 3 * TpoDriver.DEPTH;
        double ideal = prompts * chatPerPrompt / capacity;
        double killAt = 0.4 * ideal;
        CompletableFuture<Void> killer = !kill ? CompletableFuture.completedFuture(null)
            : CompletableFuture.runAsync(() -> {
              sleep(killAt);
              sims.get(0).kill();
            });
        long t0 = System.nanoTime();
        List<TpoOutcome> outcomes = tpo.optimizeAll(requests, concurrency);
        double wall = (System.nanoTime() - t0) / 1e9;
        double load1 = CLIENT_CPU.getSystemLoadAverage();
        killer.join();
        double clientCpu = (CLIENT_CPU.getProcessCpuTime() - clientCpu0) / 1e9;
        double serverCpu = -serverCpu0 / 1e9;
        StringBuilder busy = new StringBuilder();
        for (int i = 0; i < SERVERS; i++) {
          if (kill && i == 0) {
            busy.append("killed");
            serverCpu = Double.NaN; // its CPU time went with it
            continue;
          }
          var stats = sims.get(i).stats();
          serverCpu += stats.path("processCpuNanos").asLong() / 1e9;
          double delay = stats.path("delayNanosByPath").path("/v1/chat/completions").asLong();
          busy.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f%%",
              100 * delay / 1e9 / (wall * slots)));
        }
        String cpu = String.format(Locale.ROOT, "; slots busy per server %s; CPU: client %.1f s"
            + " + servers %.1f s over %.1f s wall on %d cores; load average %.1f at the start,"
            + " %.1f at the end; %d runs in flight; spillover %s, %d requests moved",
            busy, clientCpu, serverCpu, wall, Runtime.getRuntime().availableProcessors(), load0,
            load1, concurrency, spill == null ? "off" : "after " + spill + " queued",
            spilled(policy) - spilledBefore);

        Set<String> ids = new HashSet<>();
        int failed = 0;
        for (TpoOutcome o : outcomes) {
          if (o.succeeded()) {
            ids.add(o.request().id().orElseThrow());
          } else {
            failed++;
          }
        }
        long served = served(policy) - servedBefore;
        List<EndpointStatus> status = policy.endpoints();
        long failures = status.stream().mapToLong(EndpointStatus::failures).sum();
        StringBuilder perServer = new StringBuilder();
        for (int i = 0; i < SERVERS; i++) {
          perServer.append(i == 0 ? "" : ", ").append(Math.round(latency[i])).append(" ms: ")
              .append(status.get(i).state().label()).append(' ').append(status.get(i).served());
        }
        if (!kill) {
          return new Result("7a", String.format(Locale.ROOT,
              "%d prompts, 4 servers (1 at 3x latency), %d slots each", prompts, slots),
              wall / ideal, 1.10, String.format(Locale.ROOT,
              "wall %.2f s against %.2f s (%d chat requests at %.1f requests/s); %d of %d"
                  + " prompts done, %d failed; requests served per server (latency: state"
                  + " count): %s", wall, ideal, prompts * chatPerPrompt,
              capacity, ids.size(), prompts, failed, perServer) + cpu);
        }
        double idealKilled = killAt + (prompts * chatPerPrompt - capacity * killAt) / after;
        boolean exactlyOnce = ids.size() == prompts && failed == 0
            && served == (long) prompts * chatPerPrompt;
        return new Result("7b", String.format(Locale.ROOT,
            "the same, one fast server killed at %.1f s", killAt),
            exactlyOnce ? wall / idealKilled : Double.POSITIVE_INFINITY, 1.10,
            String.format(Locale.ROOT, "wall %.2f s against %.2f s for the capacity before and"
                + " after the kill (%.2f s with all four); every prompt once: %s (%d distinct"
                + " ids done of %d, %d failed, %d chat answers for %d needed); %d requests failed"
                + " on the killed server and were sent to another; per server: %s", wall,
                idealKilled, ideal, exactlyOnce ? "yes" : "NO", ids.size(), prompts, failed,
                served, prompts * chatPerPrompt, failures, perServer) + cpu);
      }
    } finally {
      sims.forEach(SimulatorProcess::close);
    }
  }

  private static long served(BalancedLanguageModel policy) {
    return policy.endpoints().stream().mapToLong(EndpointStatus::served).sum();
  }

  private static long spilled(BalancedLanguageModel policy) {
    return policy.endpoints().stream().mapToLong(EndpointStatus::spilledIn).sum();
  }

  private static void sleep(double seconds) {
    try {
      TimeUnit.MILLISECONDS.sleep(Math.round(seconds * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
