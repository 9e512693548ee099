package dev.tpo.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.tpo.adapter.reward.VllmRewardScorer;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.ScoredBatch;
import dev.tpo.simulator.RecordedRequest;
import dev.tpo.simulator.RewardFunction;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Measure 3: against a zero-latency server, the CPU time this JVM spends on whole TPO runs
 * divided by the CPU time it spends making the very same HTTP requests with the bare OpenAI SDK
 * (recorded from a TPO run, replayed in order). The server runs in its own process, so its CPU
 * time is not counted. Phases alternate after warm-up; the median of the per-round ratios.
 */
final class Overhead {
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private Overhead() {}

  static List<Result> measure(SimulatorProcess sim, int runsPerPhase, int rounds) {
    sim.configure(Map.of("latencyMs", 0, "rewardLatencyMs", 0, "tokenDelayMicros", 0,
        "slowProbability", 0));
    List<Result> results = new ArrayList<>();
    double[] sdkMsPerRun = new double[1];
    results.add(compare(sim, "3", "CPU overhead: TPO run / same requests on bare SDK", 1.15,
        VllmRewardScorer.Endpoint.POOLING, UnaryOperator.identity(), runsPerPhase, rounds,
        sdkMsPerRun));
    results.add(compare(sim, "3b", "  same, vLLM /classify (one reward request per round)",
        Double.NaN, VllmRewardScorer.Endpoint.CLASSIFY, UnaryOperator.identity(), runsPerPhase,
        rounds, new double[1]));
    results.add(compare(sim, "3c", "  same, scoring in process (loop + chat adapter only)",
        Double.NaN, VllmRewardScorer.Endpoint.POOLING,
        s -> (prompt, responses) -> ScoredBatch.of(LOCAL_SCORES.apply(responses)), runsPerPhase, rounds,
        new double[1]));
    results.add(loopAlone(sdkMsPerRun[0]));
    return results;
  }

  /** A stand-in scorer without I/O: the simulator's default reward function. */
  private static final java.util.function.Function<List<String>, List<Double>> LOCAL_SCORES =
      responses -> {
        RewardFunction f = RewardFunction.hashOfResponse();
        List<Double> out = new ArrayList<>(responses.size());
        for (String r : responses) {
          out.add(f.score("", r));
        }
        return out;
      };

  private static Result compare(SimulatorProcess sim, String id, String name, double target,
      VllmRewardScorer.Endpoint endpoint, UnaryOperator<RewardScorer> scorer, int runsPerPhase,
      int rounds, double[] sdkMsPerRun) {
    List<RecordedRequest> recorded = record(endpoint, scorer);
    int c = 8;
    List<Double> ratios = new ArrayList<>();
    double tpoMs = 0;
    double sdkMs = 0;
    try (TpoDriver tpo = new TpoDriver(sim.baseUrl(), c, endpoint, scorer);
        SdkReplay sdk = new SdkReplay(sim.baseUrl(), recorded)) {
      List<String> prompts = Workloads.prompts(runsPerPhase);
      for (int w = 0; w < 3; w++) {
        Workloads.runAll(tpo, prompts, c);
        Workloads.runAll(sdk, prompts, c);
      }
      for (int r = 0; r < rounds; r++) {
        // Alternate which side goes first, so leftover JIT work does not favour one of them.
        long t;
        long s;
        if (r % 2 == 0) {
          t = cpu(() -> Workloads.runAll(tpo, prompts, c));
          s = cpu(() -> Workloads.runAll(sdk, prompts, c));
        } else {
          s = cpu(() -> Workloads.runAll(sdk, prompts, c));
          t = cpu(() -> Workloads.runAll(tpo, prompts, c));
        }
        ratios.add((double) t / s);
        tpoMs += t / 1e6 / runsPerPhase / rounds;
        sdkMs += s / 1e6 / runsPerPhase / rounds;
      }
      double ratio = Workloads.median(ratios);
      sdkMsPerRun[0] = sdkMs;
      return new Result(id, name, ratio, target, String.format(Locale.ROOT,
          "%.2f ms vs %.2f ms CPU per run (%d requests, %d of them chat), %d runs x %d rounds"
              + " at concurrency %d; ratios %s", tpoMs, sdkMs, sdk.requests(),
          sdk.chatRequests(), runsPerPhase, rounds, c, format(ratios)));
    }
  }

  /**
   * The loop's own time per run with an instant in-process model and scorer ({@link
   * LoopCpuBenchmark}, JMH), against the CPU the bare SDK spends on a run's requests.
   */
  private static Result loopAlone(double sdkMsPerRun) {
    try {
      RunResult r = new Runner(new OptionsBuilder()
          .include(LoopCpuBenchmark.class.getName())
          .jvmArgs("-Xmx1g")
          .build()).runSingle();
      double micros = r.getPrimaryResult().getScore();
      return new Result("3d", "  loop alone (JMH, instant model): us per run / SDK CPU",
          micros / 1000 / sdkMsPerRun, Double.NaN, String.format(Locale.ROOT,
          "%.0f us per D2-N5 run (+- %.0f) against %.2f ms of CPU for its requests on the bare"
              + " SDK", micros, r.getPrimaryResult().getScoreError(), sdkMsPerRun));
    } catch (RunnerException e) {
      throw new IllegalStateException("the JMH loop benchmark failed: " + e.getMessage(), e);
    }
  }

  /** One TPO run against an in-process simulator that records its requests. */
  static List<RecordedRequest> record(VllmRewardScorer.Endpoint endpoint,
      UnaryOperator<RewardScorer> scorer) {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder()
            .rewardModels("sim-reward").start();
        TpoDriver tpo = new TpoDriver(server.baseUrl(), 1, endpoint, scorer)) {
      tpo.start(Workloads.prompts(1).get(0)).join();
      List<RecordedRequest> out = new ArrayList<>();
      for (RecordedRequest r : server.requests()) {
        if (r.method().equals("POST")) {
          out.add(r);
        }
      }
      return out;
    }
  }

  private static long cpu(Runnable work) {
    System.gc();
    long before = OS.getProcessCpuTime();
    work.run();
    return OS.getProcessCpuTime() - before;
  }

  private static String format(List<Double> values) {
    StringBuilder s = new StringBuilder("[");
    for (double v : values) {
      s.append(s.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", v));
    }
    return s.append(']').toString();
  }
}
