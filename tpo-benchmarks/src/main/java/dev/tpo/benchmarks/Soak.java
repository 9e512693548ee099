package dev.tpo.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak of docs/reliability.md: {@code tpo run} (the packaged {@code tpo-cli/target/tpo.jar}, a
 * separate JVM) over many prompts against the simulator (another JVM) with every fault kind
 * injected at the same rate, mixed ({@code --fault-mix}), then the same run without faults.
 * Reports for each: the exit status, wall time, result lines, distinct ids, error lines, whether a
 * fragment of the API key shows in the results or the command's output, and the CLI JVM's heap
 * peak (the largest heap occupancy before a collection, read from its {@code -Xlog:gc} log).
 *
 * <p>Usage: {@code java -cp tpo-benchmarks/target/tpo-benchmarks.jar dev.tpo.benchmarks.Soak
 * [--prompts 10000] [--concurrency 64] [--fault-rate 0.05] [--jar tpo-cli/target/tpo.jar]
 * [--dir target/soak] [--xmx 512m] [--prompt-retries 10]}.
 *
 * <p>Not instantiable; its static methods keep no shared state and are thread-safe.
 */
public final class Soak {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "sk-SOAK-SECRET-0123456789abcdefghijklmnopqrstuvwxyz";
  private static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  private Soak() {}

  /** What one run did. */
  private record Run(String label, int exit, double seconds, int lines, int distinct, int errors,
      boolean keyLeaked, long heapPeakMb, long heapMaxMb, String summary) {}

  /**
   * Runs the soak.
   *
   * @param args see the class Javadoc
   * @throws Exception when a run cannot be started
   */
  public static void main(String[] args) throws Exception {
    int prompts = 10_000;
    int concurrency = 64;
    double rate = 0.05;
    Path jar = Path.of("tpo-cli/target/tpo.jar");
    Path dir = Path.of("target/soak");
    String xmx = "512m";
    int promptRetries = 10;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--prompts" -> prompts = Integer.parseInt(args[++i]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
        case "--fault-rate" -> rate = Double.parseDouble(args[++i]);
        case "--jar" -> jar = Path.of(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        case "--xmx" -> xmx = args[++i];
        case "--prompt-retries" -> promptRetries = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Files.createDirectories(dir);
    Path data = dir.resolve("prompts.jsonl");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < prompts; i++) {
      sb.append("{\"id\":\"p").append(i).append("\",\"prompt\":\"Soak prompt ").append(i)
          .append(": give one tip about ").append(i % 97).append(" plants.\"}\n");
    }
    Files.writeString(data, sb);
    System.out.printf(Locale.ROOT, "soak: %d prompts, concurrency %d, every fault kind at %.1f%%"
        + " each; %d CPUs, load average %s%n", prompts, concurrency, rate * 100,
        Runtime.getRuntime().availableProcessors(), loadAverage());
    List<Run> runs = new ArrayList<>();
    runs.add(run("faults", rate, prompts, concurrency, jar, dir, data, xmx, promptRetries));
    runs.add(run("no faults", 0, prompts, concurrency, jar, dir, data, xmx, promptRetries));
    System.out.println();
    System.out.println("| run | exit | wall | result lines | distinct ids | error lines | key"
        + " fragment in output | CLI heap peak (max) |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (Run r : runs) {
      System.out.printf(Locale.ROOT, "| %s | %d | %.0f s | %d | %d | %d | %s | %d MB (%d MB) |%n",
          r.label(), r.exit(), r.seconds(), r.lines(), r.distinct(), r.errors(),
          r.keyLeaked() ? "YES" : "none", r.heapPeakMb(), r.heapMaxMb());
    }
    for (Run r : runs) {
      System.out.println(r.label() + ": " + r.summary());
    }
    System.out.printf(Locale.ROOT, "wall time with faults / without: %.2f%n",
        runs.get(0).seconds() / runs.get(1).seconds());
  }

  private static Run run(String label, double rate, int prompts, int concurrency, Path jar,
      Path dir, Path data, String xmx, int promptRetries) throws Exception {
    String tag = rate > 0 ? "faults" : "clean";
    Path out = dir.resolve("results-" + tag + ".jsonl");
    Files.deleteIfExists(out);
    Path gc = dir.resolve("gc-" + tag + ".log");
    Path log = dir.resolve("cli-" + tag + ".txt");
    List<String> sim = new ArrayList<>(List.of("--latency-ms", "5", "--reward-latency-ms", "2",
        "--api-key", KEY, "--seed", "11"));
    if (rate > 0) {
      sim.addAll(List.of("--fault-mix", Double.toString(rate)));
    }
    try (SimulatorProcess server = SimulatorProcess.start(sim.toArray(String[]::new))) {
      List<String> cmd = List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx" + xmx, "-Xlog:gc:file=" + gc, "-jar", jar.toString(), "run",
          "--data", data.toString(), "--base-url", server.baseUrl() + "/v1",
          "--reward", "vllm+" + server.baseUrl() + "?model=sim-reward",
          "--samples", "2", "--iterations", "1", "--concurrency", Integer.toString(concurrency),
          "--timeout", "2", "--max-retries", "3", "--prompt-retries",
          Integer.toString(promptRetries),
          "--prompt-retry-wait", "0.5", "--out", out.toString(), "--progress", "log",
          "--progress-interval", "15");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      pb.environment().put("TPO_API_KEY", KEY);
      System.out.println(label + ": " + String.join(" ", cmd));
      long t0 = System.nanoTime();
      Process p = pb.start();
      if (!p.waitFor(2, TimeUnit.HOURS)) {
        p.destroyForcibly();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      String output = Files.readString(log);
      String results = Files.exists(out) ? Files.readString(out) : "";
      int lines = 0;
      int errors = 0;
      Set<String> ids = new HashSet<>();
      for (String l : results.split("\n")) {
        if (l.isBlank()) {
          continue;
        }
        JsonNode n = JSON.readTree(l);
        lines++;
        ids.add(n.path("id").asText());
        errors += n.has("error") ? 1 : 0;
      }
      boolean leaked = false;
      for (int len = 8; len <= KEY.length(); len++) {
        String fragment = KEY.substring(0, len);
        leaked |= results.contains(fragment) || output.contains(fragment);
      }
      long peak = 0;
      long max = 0;
      for (String l : Files.readAllLines(gc, StandardCharsets.UTF_8)) {
        Matcher m = GC.matcher(l);
        if (m.find()) {
          peak = Math.max(peak, Long.parseLong(m.group(1)));
          max = Math.max(max, Long.parseLong(m.group(3)));
        }
      }
      String summary = output.lines().filter(s -> s.startsWith("tpo run: ") && s.contains(
          "prompts:") || s.startsWith("  this run:")).reduce((a, b) -> a + " / " + b).orElse("");
      return new Run(label, p.exitValue(), seconds, lines, ids.size(), errors, leaked, peak, max,
          summary);
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException | RuntimeException e) {
      return "(unknown)";
    }
  }
}
