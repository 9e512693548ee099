package dev.tpo.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.adapter.reward.VllmRewardScorer;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Measure 1: one prompt at a time, TPO D2-N5 with server latency L for every chat request and Lr
 * for every reward request; wall time of a run divided by its critical path, 7 chat latencies plus
 * 3 scoring rounds (the N scoring requests of a round run concurrently, so a round costs Lr).
 * The median of several runs after warm-up runs that let the JIT compile both JVMs' hot paths
 * (client and simulator; the simulator answers each request its latency after it arrived, so its
 * own work counts within the latency). The bare SDK and the reference's structure (which scores
 * the N candidates one request after another) are run the same way for comparison.
 */
final class CriticalPath {
  private CriticalPath() {}

  static List<Result> measure(SimulatorProcess sim, double latencyMs, double rewardLatencyMs,
      int runs, int warmups) {
    return measure(sim, latencyMs, rewardLatencyMs, runs, warmups, true);
  }

  /**
   * The same at a longer latency, for comparison only (no target, no reference run): with the
   * per-step cost of the machine fixed, the ratio falls as the latency grows.
   */
  static List<Result> atLongerLatency(SimulatorProcess sim, double latencyMs,
      double rewardLatencyMs, int runs, int warmups) {
    return measure(sim, latencyMs, rewardLatencyMs, runs, warmups, false);
  }

  private static List<Result> measure(SimulatorProcess sim, double latencyMs,
      double rewardLatencyMs, int runs, int warmups, boolean main) {
    sim.configure(Map.of("latencyMs", latencyMs, "rewardLatencyMs", rewardLatencyMs,
        "tokenDelayMicros", 0, "slowProbability", 0));
    double idealMs = 7 * latencyMs + 3 * rewardLatencyMs;
    List<String> prompts = Workloads.prompts(Math.max(runs, warmups) + 3);
    List<Result> results = new ArrayList<>();
    try (TpoDriver tpo = new TpoDriver(sim.baseUrl(), 1)) {
      for (int i = 0; i < warmups; i++) {
        tpo.start(prompts.get(i % 3)).join();
      }
      sim.reset();
      List<Double> ratios = new ArrayList<>();
      for (int i = 3; i < runs + 3; i++) {
        long t0 = System.nanoTime();
        tpo.start(prompts.get(i)).join();
        ratios.add((System.nanoTime() - t0) / 1e6 / idealMs);
      }
      JsonNode stats = sim.stats();
      double chatPerRun = stats.at("/requestsByPath/" + pointer(SimulatedOpenAiServer.CHAT_PATH))
          .asDouble() / runs;
      double rewardPerRun = stats.at("/requestsByPath/~1pooling").asDouble() / runs;
      double median = Workloads.median(ratios);
      String id = main ? "1" : "1b";
      results.add(new Result(id, String.format(Locale.ROOT,
          main ? "critical path: 1 prompt, D2-N5, L=%.0f ms, Lr=%.0f ms"
              : "  same at L=%.0f ms, Lr=%.0f ms", latencyMs, rewardLatencyMs),
          median, main ? 1.05 : Double.NaN, String.format(Locale.ROOT,
          "median run %.1f ms vs ideal %.0f ms over %d runs after %d warm-up runs (min ratio"
              + " %.3f, max %.3f); %.1f chat and %.1f reward requests per run",
          median * idealMs, idealMs, runs, warmups, ratios.stream().mapToDouble(d -> d).min().orElse(0),
          ratios.stream().mapToDouble(d -> d).max().orElse(0), chatPerRun, rewardPerRun)));

      List<Double> sdkMs = new ArrayList<>();
      try (SdkReplay sdk = new SdkReplay(sim.baseUrl(),
          Overhead.record(VllmRewardScorer.Endpoint.POOLING, UnaryOperator.identity()))) {
        for (int i = 0; i < warmups; i++) {
          sdk.start(prompts.get(i % 3)).join();
        }
        for (int i = 0; i < runs; i++) {
          long t0 = System.nanoTime();
          sdk.start(prompts.get(i)).join();
          sdkMs.add((System.nanoTime() - t0) / 1e6);
        }
      }
      double sdkMedian = Workloads.median(sdkMs);
      results.add(new Result(id + "s", "  same requests on the bare SDK (machine's floor)",
          sdkMedian / idealMs, Double.NaN, String.format(Locale.ROOT,
          "median %.1f ms; TPO run / bare-SDK run = %.3f", sdkMedian,
          median * idealMs / sdkMedian)));

      if (!main) {
        return results;
      }
      ReferenceStyle reference = new ReferenceStyle(tpo.policy(), sim.baseUrl(),
          TpoDriver.DEPTH, TpoDriver.SAMPLES);
      reference.run(prompts.get(0));
      List<Double> refRatios = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        reference.run(prompts.get(i + 3));
        refRatios.add((System.nanoTime() - t0) / 1e6 / idealMs);
      }
      double refMedian = Workloads.median(refRatios);
      results.add(new Result("1r", "  same, reference structure (scores one at a time)",
          refMedian, Double.NaN, String.format(Locale.ROOT,
          "median run %.1f ms: 7 chat latencies + 15 sequential scoring requests",
          refMedian * idealMs)));
    }
    return results;
  }

  /** A JSON pointer segment for a path ("/" escaped as "~1"). */
  static String pointer(String path) {
    return path.replace("~", "~0").replace("/", "~1");
  }
}
