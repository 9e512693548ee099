package dev.tpo.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.TpoOutcome;
import dev.tpo.adapter.reward.VllmRewardScorer;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Measure 2: many prompts with a fixed number of runs in flight ({@code Tpo.optimizePrompts});
 * wall time divided by the ideal, the total critical-path work divided by the concurrency. With
 * constant latencies the work is {@code prompts * (7 L + 3 Lr)}. With random slow requests (one
 * in twenty ten times slower) a finite batch ends when its slowest runs end, so the ideal is the
 * list schedule of the runs' own durations on the concurrency's workers (what a runner without
 * barriers achieves); the ratio to the applied latency divided by the concurrency is shown too.
 * Reward scoring is on {@code /classify} there (one request per round), so every latency the
 * server applied lies on a critical path. The reference's chunk barriers and its whole structure
 * are run under the same conditions for comparison.
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
    Random at64 = randomRun(sim, prompts, 64, null);
    results.add(new Result("2d", String.format(Locale.ROOT, "throughput, 1 request in 20 ten"
            + " times slower, conc. 64, L=%.0f ms", 10 * latencyMs),
        at64.wallMs / at64.listScheduleMs, 1.10, at64.describe(64)));
    sim.configure(Map.of("latencyMs", latencyMs, "rewardLatencyMs", rewardLatencyMs,
        "slowProbability", 0.05, "slowFactor", 10));
    int c = 16;
    Random ours = randomRun(sim, prompts, c, null);
    Random chunked = randomRun(sim, prompts, c, 4 * c);
    results.add(new Result("2e", String.format(Locale.ROOT, "  same at conc. 16, L=%.0f ms",
            latencyMs), ours.wallMs / ours.listScheduleMs, Double.NaN, ours.describe(c)));
    results.add(new Result("2e'", "  same, TPO in chunks of 64 with a barrier after each",
        chunked.wallMs / chunked.listScheduleMs, Double.NaN, chunked.describe(c)));
    try (TpoDriver d = new TpoDriver(sim.baseUrl(), c)) {
      ReferenceStyle reference = new ReferenceStyle(d.policy(), sim.baseUrl(), TpoDriver.DEPTH,
          TpoDriver.SAMPLES);
      reference.runAll(Workloads.prompts(c), c);
      double wall = reference.runAll(Workloads.prompts(prompts), c) / 1e6;
      results.add(new Result("2e''", "  same, reference structure (serial scoring + chunks)",
          wall / ours.listScheduleMs, Double.NaN, String.format(Locale.ROOT,
              "wall %.0f ms vs the barrier-free schedule of 2e (%.0f ms)", wall,
              ours.listScheduleMs)));
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
      // Warm-up: the JIT and the connections, at a short latency whatever the measured one.
      sim.configure(Map.of("latencyMs", Math.min(latencyMs, 50),
          "rewardLatencyMs", Math.min(rewardLatencyMs, 50)));
      run(d, Workloads.prompts(Math.min(c, 64)), c);
      sim.configure(Map.of("latencyMs", latencyMs, "rewardLatencyMs", rewardLatencyMs));
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
   * A run with random slow requests.
   *
   * @param wallMs the wall time
   * @param workMs the latency the server applied (every applied latency lies on a critical path)
   * @param listScheduleMs the makespan of the runs' own durations placed, in input order, on
   *     {@code c} workers each taking the next prompt when free: what a runner without barriers
   *     achieves when it adds no waiting of its own
   */
  private record Random(double wallMs, double workMs, double listScheduleMs) {
    String describe(int c) {
      return String.format(Locale.ROOT, "wall %.0f ms vs %.0f ms, the list schedule of the runs'"
          + " own durations (wall / (applied latency / %d) = %.3f: with 4 runs per slot the"
          + " slowest runs set the end)", wallMs, listScheduleMs, c, wallMs / (workMs / c));
    }
  }

  /**
   * Prompts at concurrency {@code c} with random slow requests; with {@code chunk} set, in chunks
   * with a barrier after each, as the reference does.
   */
  private static Random randomRun(SimulatorProcess sim, int prompts, int c, Integer chunk) {
    try (TpoDriver d = new TpoDriver(sim.baseUrl(), c, VllmRewardScorer.Endpoint.CLASSIFY,
        UnaryOperator.identity())) {
      run(d, Workloads.prompts(c), c);
      sim.reset();
      List<String> all = Workloads.prompts(prompts);
      long wall = 0;
      List<Double> durations = new ArrayList<>();
      int step = chunk == null ? all.size() : chunk;
      for (int from = 0; from < all.size(); from += step) {
        long t0 = System.nanoTime();
        List<TpoOutcome> outcomes = outcomes(d, all.subList(from,
            Math.min(all.size(), from + step)), c);
        wall += System.nanoTime() - t0;
        for (TpoOutcome o : outcomes) {
          durations.add((double) o.resultOrThrow().elapsed().toMillis());
        }
      }
      JsonNode stats = sim.stats();
      double workMs = (stats.at("/delayNanosByPath/"
          + CriticalPath.pointer(SimulatedOpenAiServer.CHAT_PATH)).asDouble()
          + stats.at("/delayNanosByPath/~1classify").asDouble()) / 1e6;
      return new Random(wall / 1e6, workMs, listSchedule(durations, c));
    }
  }

  /** Makespan of the durations on {@code c} workers, each taking the next one when free. */
  static double listSchedule(List<Double> durations, int c) {
    java.util.PriorityQueue<Double> free = new java.util.PriorityQueue<>();
    for (int i = 0; i < c; i++) {
      free.add(0.0);
    }
    double end = 0;
    for (double d : durations) {
      double finish = free.poll() + d;
      end = Math.max(end, finish);
      free.add(finish);
    }
    return end;
  }

  /** Runs the prompts with {@code optimizePrompts}; returns the wall time in nanoseconds. */
  static long run(TpoDriver d, List<String> prompts, int concurrency) {
    long t0 = System.nanoTime();
    outcomes(d, prompts, concurrency);
    return System.nanoTime() - t0;
  }

  /** Runs the prompts with {@code optimizePrompts}; fails when any run failed. */
  static List<TpoOutcome> outcomes(TpoDriver d, List<String> prompts, int concurrency) {
    List<TpoOutcome> outcomes = d.tpo().optimizePrompts(prompts, concurrency);
    long failed = outcomes.stream().filter(o -> !o.succeeded()).count();
    if (failed > 0) {
      throw new IllegalStateException(failed + " of " + prompts.size() + " runs failed, first: "
          + outcomes.stream().filter(o -> !o.succeeded()).findFirst().orElseThrow());
    }
    return outcomes;
  }
}
