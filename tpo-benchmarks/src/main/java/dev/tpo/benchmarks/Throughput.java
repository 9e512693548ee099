package dev.tpo.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.TpoOutcome;
import dev.tpo.adapter.reward.VllmRewardScorer;
import dev.tpo.testing.SimulatedOpenAiServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Measure 2: many prompts with a fixed number of runs in flight ({@code Tpo.optimizePrompts});
 * wall time divided by the ideal, the total critical-path work divided by the concurrency. With
 * constant latencies the work is {@code prompts * (7 L + 3 Lr)}; with random slow requests it is
 * the simulated latency the server actually applied (reward scoring on {@code /classify}, one
 * request per round, so every applied latency lies on a critical path).
 */
final class Throughput {
  private Throughput() {}

  static List<Result> measure(SimulatorProcess sim, double latencyMs, double rewardLatencyMs,
      int prompts) {
    List<Result> results = new ArrayList<>();
    results.add(constant(sim, "2a", prompts, 8, latencyMs, rewardLatencyMs, 1));
    results.add(constant(sim, "2b", prompts, 64, latencyMs, rewardLatencyMs, 3));
    results.add(constant(sim, "2c", prompts, 256, latencyMs, rewardLatencyMs, 3));
    // The same with latencies long enough that two cores can serve the CPU the runs need.
    results.add(constant(sim, "2b+", prompts, 64, 10 * latencyMs, 10 * rewardLatencyMs, 1));
    results.add(constant(sim, "2c+", prompts, 256, 20 * latencyMs, 20 * rewardLatencyMs, 1));
    sim.configure(Map.of("latencyMs", 10 * latencyMs, "rewardLatencyMs", 10 * rewardLatencyMs,
        "slowProbability", 0.05, "slowFactor", 10));
    double[] at64 = randomRun(sim, prompts, 64, null);
    results.add(new Result("2d", String.format(Locale.ROOT, "throughput, 1 request in 20 ten"
            + " times slower, conc. 64, L=%.0f ms", 10 * latencyMs),
        at64[0] / at64[1], 1.10, String.format(Locale.ROOT, "wall %.0f ms vs ideal %.0f ms"
            + " (latency the server applied / 64)", at64[0], at64[1])));
    sim.configure(Map.of("latencyMs", latencyMs, "rewardLatencyMs", rewardLatencyMs,
        "slowProbability", 0.05, "slowFactor", 10));
    int c = 16;
    double[] ours = randomRun(sim, prompts, c, null);
    double[] chunked = randomRun(sim, prompts, c, 4 * c);
    results.add(new Result("2e", String.format(Locale.ROOT, "  same at conc. 16, L=%.0f ms",
            latencyMs),
        ours[0] / ours[1], Double.NaN, String.format(Locale.ROOT,
            "wall %.0f ms vs ideal %.0f ms", ours[0], ours[1])));
    results.add(new Result("2e'", "  same, TPO in chunks of 64 with a barrier after each",
        chunked[0] / ours[1], Double.NaN, String.format(Locale.ROOT,
            "wall %.0f ms vs the ideal of 2e", chunked[0])));
    try (TpoDriver d = new TpoDriver(sim.baseUrl(), c)) {
      ReferenceStyle reference = new ReferenceStyle(d.policy(), sim.baseUrl(), TpoDriver.DEPTH,
          TpoDriver.SAMPLES);
      reference.runAll(Workloads.prompts(c), c);
      double wall = reference.runAll(Workloads.prompts(prompts), c) / 1e6;
      results.add(new Result("2e''", "  same, reference structure (serial scoring + chunks)",
          wall / ours[1], Double.NaN, String.format(Locale.ROOT,
              "wall %.0f ms vs the ideal of 2e", wall)));
    }
    sim.configure(Map.of("slowProbability", 0));
    return results;
  }

  private static Result constant(SimulatorProcess sim, String id, int prompts, int c,
      double latencyMs, double rewardLatencyMs, int repeats) {
    sim.configure(Map.of("latencyMs", latencyMs, "rewardLatencyMs", rewardLatencyMs,
        "tokenDelayMicros", 0, "slowProbability", 0));
    double idealMs = prompts * (7 * latencyMs + 3 * rewardLatencyMs) / c;
    try (TpoDriver d = new TpoDriver(sim.baseUrl(), c)) {
      run(d, Workloads.prompts(Math.min(c, 64)), c);
      List<Double> ratios = new ArrayList<>();
      CpuUse cpu = null;
      for (int r = 0; r < repeats; r++) {
        sim.reset();
        CpuUse.Mark mark = CpuUse.mark(sim);
        long wall = run(d, Workloads.prompts(prompts), c);
        cpu = mark.since(sim, wall);
        ratios.add(wall / 1e6 / idealMs);
      }
      double ratio = Workloads.median(ratios);
      return new Result(id, String.format(Locale.ROOT,
          "throughput: %d prompts at concurrency %d, L=%.0f ms", prompts, c, latencyMs), ratio,
          1.10, String.format(Locale.ROOT, "wall %.0f ms vs ideal %.0f ms (median of %d);"
              + " server saw at most %d requests in flight; %s", ratio * idealMs, idealMs,
              repeats, sim.stats().path("maxInFlight").asInt(), cpu));
    }
  }

  /**
   * Prompts at concurrency {@code c} with random slow requests; with {@code chunk} set, in chunks
   * with a barrier after each, as the reference does. Returns {wall ms, ideal ms}.
   */
  private static double[] randomRun(SimulatorProcess sim, int prompts, int c, Integer chunk) {
    try (TpoDriver d = new TpoDriver(sim.baseUrl(), c, VllmRewardScorer.Endpoint.CLASSIFY,
        UnaryOperator.identity())) {
      run(d, Workloads.prompts(Math.min(c, 64)), c);
      sim.reset();
      List<String> all = Workloads.prompts(prompts);
      long wall = 0;
      int step = chunk == null ? all.size() : chunk;
      for (int from = 0; from < all.size(); from += step) {
        wall += run(d, all.subList(from, Math.min(all.size(), from + step)), c);
      }
      JsonNode stats = sim.stats();
      double workMs = (stats.at("/delayNanosByPath/"
          + CriticalPath.pointer(SimulatedOpenAiServer.CHAT_PATH)).asDouble()
          + stats.at("/delayNanosByPath/~1classify").asDouble()) / 1e6;
      return new double[] {wall / 1e6, workMs / c};
    }
  }

  /** Runs the prompts with {@code optimizePrompts}; returns the wall time in nanoseconds. */
  static long run(TpoDriver d, List<String> prompts, int concurrency) {
    long t0 = System.nanoTime();
    List<TpoOutcome> outcomes = d.tpo().optimizePrompts(prompts, concurrency);
    long wall = System.nanoTime() - t0;
    long failed = outcomes.stream().filter(o -> !o.succeeded()).count();
    if (failed > 0) {
      throw new IllegalStateException(failed + " of " + prompts.size() + " runs failed, first: "
          + outcomes.stream().filter(o -> !o.succeeded()).findFirst().orElseThrow());
    }
    return wall;
  }
}
