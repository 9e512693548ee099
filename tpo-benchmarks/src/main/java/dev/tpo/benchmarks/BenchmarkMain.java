package dev.tpo.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs every measure and prints each ratio with its target.
 *
 * <p>Usage: {@code java -jar tpo-benchmarks/target/tpo-benchmarks.jar [--only 1,2,3,4,6]
 * [--latency-ms 50] [--reward-latency-ms 50] [--balance-latency-ms 200]
 * [--balance-prompts 1000] [--balance-concurrency 64] [--balance-spill N] [--gguf PATH]
 * [--quick]}. Measure 6
 * (llama.cpp in process, {@code --only 6}) runs on two random-weight GGUFs the project writes
 * itself unless {@code --gguf} names another model; it is not in the default set. Measure 7 is
 * the balancer over four simulated servers ({@code --only 7a}: without the kill of 7b;
 * {@code --balance-spill N}: the balancer's spillover after N queued requests, off by default).
 * Measure 8 ({@code --only 8}: prefix-cache share of the two prompt
 * layouts, early stop) runs on in-process simulated servers; {@code --only 8d} compares the
 * layouts on llama.cpp in process. Measure 10 ({@code --only 10
 * [--tpo-jar tpo-cli/target/tpo.jar] [--launcher tpo]}, {@link StartupMeasure}, not in the
 * default set) is the start-up and client CPU of {@code tpo run} in fresh JVMs, with and without
 * the launcher's start-up options; it needs the shaded CLI jar and runs from the repository root.
 * Measure 9 ({@code --only 9}, {@link StreamMeasure}, not in the default set) is scoring while
 * sampling against an in-process simulator with a per-token delay. {@code --quick} shrinks the
 * repetitions
 * for a smoke run; the figures in {@code docs/benchmarks.md} come from a run without it.
 *
 * <p>Not instantiable; its static methods keep no shared state and are thread-safe.
 */
public final class BenchmarkMain {
  private BenchmarkMain() {}

  /**
   * Runs the benchmarks.
   *
   * @param args see the class Javadoc
   * @throws Exception when a measure fails
   */
  public static void main(String[] args) throws Exception {
    Set<String> only = new LinkedHashSet<>(List.of("1", "2", "3", "4", "7"));
    String gguf = null;
    double latency = 50;
    double rewardLatency = 50;
    boolean quick = false;
    double balanceLatency = 200;
    int balancePrompts = 1000;
    int balanceConcurrency = 64;
    Integer balanceSpill = null;
    java.nio.file.Path tpoJar = java.nio.file.Path.of("tpo-cli", "target", "tpo.jar");
    java.nio.file.Path launcher = java.nio.file.Path.of("tpo");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--only":
          only = new LinkedHashSet<>(List.of(args[++i].split(",")));
          break;
        case "--latency-ms":
          latency = Double.parseDouble(args[++i]);
          break;
        case "--reward-latency-ms":
          rewardLatency = Double.parseDouble(args[++i]);
          break;
        case "--balance-latency-ms":
          balanceLatency = Double.parseDouble(args[++i]);
          break;
        case "--balance-prompts":
          balancePrompts = Integer.parseInt(args[++i]);
          break;
        case "--balance-concurrency":
          balanceConcurrency = Integer.parseInt(args[++i]);
          break;
        case "--balance-spill":
          balanceSpill = Integer.parseInt(args[++i]);
          break;
        case "--quick":
          quick = true;
          break;
        case "--gguf":
          gguf = args[++i];
          break;
        case "--tpo-jar":
          tpoJar = java.nio.file.Path.of(args[++i]);
          break;
        case "--launcher":
          launcher = java.nio.file.Path.of(args[++i]);
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i]
              + "; use --only 1,2,3,4,6,7 --latency-ms 50 --reward-latency-ms 50"
              + " --balance-latency-ms 200 --balance-prompts 1000 --balance-concurrency 64"
              + " --balance-spill N"
              + " --gguf PATH --quick --tpo-jar JAR --launcher tpo");
      }
    }
    System.out.println(machine());
    long t0 = System.nanoTime();
    List<Result> results = new ArrayList<>();
    boolean simulated = only.stream().anyMatch(m -> List.of("1", "2", "3", "4").contains(m));
    try (SimulatorProcess sim = simulated ? SimulatorProcess.start("--words", "60") : null) {
      if (only.contains("1")) {
        results.addAll(print(CriticalPath.measure(sim, latency, rewardLatency, quick ? 3 : 10,
            quick ? 3 : 30)));
        results.addAll(print(CriticalPath.atLongerLatency(sim, 4 * latency, 4 * rewardLatency,
            quick ? 2 : 5, quick ? 1 : 3)));
      }
      if (only.contains("2")) {
        results.addAll(print(Throughput.measure(sim, latency, rewardLatency, 256)));
      }
      if (only.contains("3")) {
        results.addAll(print(Overhead.measure(sim, quick ? 100 : 300, quick ? 1 : 3)));
      }
      if (only.contains("4")) {
        results.addAll(print(Memory.measure(sim, 1000)));
      }
    }
    if (only.contains("6")) {
      results.addAll(print(LlamaCppMeasure.measure(gguf, quick ? 1 : 3)));
    }
    if (only.contains("8")) { // prefix sharing and early stop, in-process servers of its own
      results.addAll(print(PrefixMeasure.measure(4)));
    }
    if (only.contains("8d")) { // the layouts on llama.cpp in process: minutes on two cores
      results.addAll(print(PrefixMeasure.llamaCpp()));
    }
    if (only.contains("7") || only.contains("7a")) { // four servers of its own; 7a: no kill
      results.addAll(print(Balance.measure(quick ? 200 : balancePrompts, balanceLatency, 8,
          balanceConcurrency, balanceSpill, only.contains("7"))));
    }
    if (only.contains("10")) { // fresh tpo JVMs and a simulator of its own
      results.addAll(print(StartupMeasure.measure(tpoJar, launcher, latency, quick ? 1 : 3)));
    }
    if (only.contains("9")) { // scoring while sampling, an in-process simulator of its own
      results.addAll(print(StreamMeasure.measure(quick ? 3 : 10, quick ? 2 : 5)));
    }
    System.out.println();
    System.out.println("Summary (lower is better):");
    for (Result r : results) {
      System.out.println(r.line());
    }
    long missed = results.stream().filter(r -> !r.met()).count();
    System.out.printf(Locale.ROOT, "%d of %d targets met; took %.0f s.%n",
        results.stream().filter(r -> !Double.isNaN(r.target()) && r.met()).count(),
        results.stream().filter(r -> !Double.isNaN(r.target())).count(),
        (System.nanoTime() - t0) / 1e9);
    System.out.println("Measure 5 (DJL scoring, batched vs one by one) is the JMH benchmark of"
        + " tpo-reward-djl; see docs/benchmarks.md.");
    System.exit(missed == 0 ? 0 : 1);
  }

  private static List<Result> print(List<Result> results) {
    for (Result r : results) {
      System.out.println(r.line());
    }
    return results;
  }

  private static String machine() {
    Runtime rt = Runtime.getRuntime();
    return String.format(Locale.ROOT, "tpo-benchmarks on %s %s (%s), %d CPUs visible to the JVM,"
            + " Java %s (%s), max heap %d MB, JVM args %s",
        System.getProperty("os.name"), System.getProperty("os.version"),
        System.getProperty("os.arch"), rt.availableProcessors(),
        System.getProperty("java.version"), System.getProperty("java.vm.name"),
        rt.maxMemory() >> 20, ManagementFactory.getRuntimeMXBean().getInputArguments());
  }
}
