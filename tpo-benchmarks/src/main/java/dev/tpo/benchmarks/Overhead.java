package dev.tpo.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.tpo.testing.RecordedRequest;
import dev.tpo.testing.SimulatedOpenAiServer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
    List<RecordedRequest> recorded = record();
    sim.configure(Map.of("latencyMs", 0, "rewardLatencyMs", 0, "tokenDelayMicros", 0,
        "slowProbability", 0));
    int c = 8;
    List<Double> ratios = new ArrayList<>();
    double tpoMs = 0;
    double sdkMs = 0;
    try (TpoDriver tpo = new TpoDriver(sim.baseUrl(), c);
        SdkReplay sdk = new SdkReplay(sim.baseUrl(), recorded)) {
      List<String> prompts = Workloads.prompts(runsPerPhase);
      for (int w = 0; w < 2; w++) {
        Workloads.runAll(tpo, prompts, c);
        Workloads.runAll(sdk, prompts, c);
      }
      for (int r = 0; r < rounds; r++) {
        long t = cpu(() -> Workloads.runAll(tpo, prompts, c));
        long s = cpu(() -> Workloads.runAll(sdk, prompts, c));
        ratios.add((double) t / s);
        tpoMs += t / 1e6 / runsPerPhase / rounds;
        sdkMs += s / 1e6 / runsPerPhase / rounds;
      }
      double ratio = Workloads.median(ratios);
      return List.of(new Result("3", "CPU overhead: TPO run / same requests on bare SDK", ratio,
          1.15, String.format(Locale.ROOT, "%.2f ms vs %.2f ms CPU per run (%d requests:"
              + " %d chat, rest reward), %d runs x %d rounds at concurrency %d; ratios %s",
              tpoMs, sdkMs, sdk.requests(), sdk.chatRequests(), runsPerPhase, rounds, c,
              format(ratios))));
    }
  }

  /** One TPO run against an in-process simulator that records its requests. */
  static List<RecordedRequest> record() {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder()
            .rewardModels("sim-reward").start();
        TpoDriver tpo = new TpoDriver(server.baseUrl(), 1)) {
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
