package dev.tpo.benchmarks;

import dev.tpo.core.model.CallRecord;
import dev.tpo.PoolEntry;
import dev.tpo.RoundRecord;
import dev.tpo.TpoResult;
import dev.tpo.adapter.reward.VllmRewardScorer;
import dev.tpo.core.model.ChatMessage;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Measure 4: retained heap per in-flight run. Starts {@code runs} TPO runs and holds each at its
 * last scoring round (so it keeps its pool, loss, gradient, recorded calls and new candidates),
 * then compares the heap after full GCs with the heap before the runs started. The texts a run
 * holds are counted from its result (an upper bound: shared strings count once per use).
 */
final class Memory {
  private Memory() {}

  static List<Result> measure(SimulatorProcess sim, int runs) throws InterruptedException {
    sim.configure(Map.of("latencyMs", 0, "rewardLatencyMs", 0, "tokenDelayMicros", 0,
        "slowProbability", 0));
    GateScorer[] gate = new GateScorer[1];
    try (TpoDriver d = new TpoDriver(sim.baseUrl(), runs, VllmRewardScorer.Endpoint.POOLING,
        s -> gate[0] = new GateScorer(s, 3))) {
      Workloads.runAll(d, Workloads.prompts(64), 16);
      long before = usedHeapAfterGc();
      gate[0].arm();
      List<CompletableFuture<TpoResult>> inFlight = new ArrayList<>(runs);
      for (String p : Workloads.prompts(runs)) {
        inFlight.add(d.start(p));
      }
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (gate[0].waiting() < runs && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      int held = gate[0].waiting();
      long during = usedHeapAfterGc();
      gate[0].release();
      double textBytes = 0;
      for (CompletableFuture<TpoResult> f : inFlight) {
        textBytes += texts(f.get(5, TimeUnit.MINUTES));
      }
      textBytes /= runs;
      double perRun = (double) (during - before) / held;
      return List.of(new Result("4", String.format(Locale.ROOT,
              "heap per in-flight run, KB, texts included (%d held)", held),
          perRun / 1024, 256, String.format(Locale.ROOT,
              "of which texts about %.1f KB (upper bound), so %.1f KB without them;"
                  + " heap %d MB before, %d MB with the runs held; %d threads alive",
              textBytes / 1024, (perRun - textBytes) / 1024, before >> 20, during >> 20,
              Thread.activeCount())));
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("a held run failed: " + e.getCause(), e);
    }
  }

  /** Characters of every text the result keeps (Latin-1 strings take one byte each). */
  private static double texts(TpoResult r) {
    double n = r.prompt().length() + r.answer().length();
    for (PoolEntry e : r.pool()) {
      n += e.text().length();
    }
    n += calls(r.sampling());
    for (RoundRecord round : r.rounds()) {
      n += (round.loss() == null ? 0 : round.loss().length())
          + (round.gradient() == null ? 0 : round.gradient().length());
      for (CallRecord c : round.calls()) {
        n += calls(c);
      }
    }
    return n;
  }

  private static double calls(CallRecord c) {
    if (c == null) {
      return 0;
    }
    double n = 0;
    for (ChatMessage m : c.messages()) {
      n += m.content().length();
    }
    for (String o : c.outputs()) {
      n += o.length();
    }
    return n;
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
