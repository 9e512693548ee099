package dev.tpo.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measure 10 (issue 21): the start-up and client CPU of the command, each run in a fresh JVM. A
 * 12-prompt D2-N5 {@code tpo run} (4 in flight, {@code --model} given) against the simulator in
 * its own JVM at L = Lr = 50 ms, started two ways: plain {@code java -jar tpo.jar} and through the
 * {@code ./tpo} launcher (its start-up options: C1 only and the class-data archive, which a first,
 * uncounted run writes). For each: the time from the process's start to the first chat request at
 * the server (10a, 10b; from the simulator's {@code firstArrivalEpochMillis}, the same machine's
 * clock) and the client's CPU time over the whole run (10c, 10d; user + system of the process
 * tree, from bash's {@code times}). A hello-world JVM start is measured beside them (10e). Medians
 * of {@code reps}, the three ways interleaved.
 *
 * <p>Needs bash (for {@code times} and the launcher). Not thread-safe; one measure at a time.
 */
final class StartupMeasure {
  /** The goal for the first chat request, seconds from the process's start. */
  static final double FIRST_REQUEST_GOAL_S = 0.5;
  /** The Python reference's client CPU for this run on the machine, seconds. */
  static final double REFERENCE_CPU_S = 3.6;
  private static final int PROMPTS = 12;
  private static final Pattern TIMES = Pattern.compile("(\\d+)m([0-9.]+)s\\s+(\\d+)m([0-9.]+)s");

  private StartupMeasure() {}

  /** One process's figures. */
  record Sample(double firstChatS, double firstRequestS, double cpuS, double wallS) {}

  /**
   * Runs the measure.
   *
   * @param tpoJar the shaded CLI jar ({@code tpo-cli/target/tpo.jar})
   * @param launcher the {@code ./tpo} script
   * @param latencyMs the simulator's chat and reward latency
   * @param reps runs of each way (medians are reported)
   * @return the results 10a-10e
   */
  static List<Result> measure(Path tpoJar, Path launcher, double latencyMs, int reps)
      throws Exception {
    if (!Files.isRegularFile(tpoJar)) {
      throw new IllegalArgumentException(tpoJar + " does not exist; build it with mvn -B"
          + " -DskipTests package -pl tpo-cli -am, or pass --tpo-jar");
    }
    if (!Files.isRegularFile(launcher)) {
      throw new IllegalArgumentException(launcher + " (the ./tpo launcher) does not exist; run"
          + " from the repository root or pass --launcher");
    }
    Path dir = Files.createTempDirectory("tpo-startup");
    // the launcher writes its archive next to the jar: a link keeps it out of the build's target/
    Path jar = dir.resolve("tpo.jar");
    try {
      Files.createSymbolicLink(jar, tpoJar.toAbsolutePath());
    } catch (UnsupportedOperationException | IOException e) {
      Files.copy(tpoJar, jar);
    }
    Path data = dir.resolve("p12.json");
    StringBuilder prompts = new StringBuilder("[");
    for (int i = 0; i < PROMPTS; i++) {
      prompts.append(i == 0 ? "" : ",").append("\"Question ").append(i + 1)
          .append(": how do I write clean, well-tested Java code?\"");
    }
    Files.writeString(data, prompts.append("]").toString(), StandardCharsets.UTF_8);
    Path hello = helloClassPath();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String ms = latencyMs == Math.rint(latencyMs) ? Long.toString((long) latencyMs)
        : Double.toString(latencyMs);
    List<Sample> plain = new ArrayList<>();
    List<Sample> launched = new ArrayList<>();
    List<Sample> helloWorld = new ArrayList<>();
    Sample dump;
    try (SimulatorProcess sim = SimulatorProcess.start("--latency-ms", ms, "--reward-latency-ms",
        ms, "--words", "60")) {
      // the launcher's first run writes the archive; it is not counted
      dump = runTpo(sim, dir, "dump", List.of("bash", launcher.toAbsolutePath().toString()),
          data, jar);
      if (!Files.isRegularFile(dir.resolve("tpo.jsa"))) {
        throw new IllegalStateException("the launcher's first run wrote no archive "
            + dir.resolve("tpo.jsa"));
      }
      for (int r = 0; r < reps; r++) {
        helloWorld.add(runHello(dir, java, hello));
        plain.add(runTpo(sim, dir, "plain" + r,
            List.of(java, "-Dai.djl.offline=true", "-jar", jar.toString()), data, jar));
        launched.add(runTpo(sim, dir, "launcher" + r,
            List.of("bash", launcher.toAbsolutePath().toString()), data, jar));
      }
    }
    Sample p = median(plain);
    Sample l = median(launched);
    Sample h = median(helloWorld);
    String cond = String.format(Locale.ROOT, "%d-prompt D2-N5 run, 4 in flight, L = Lr = %s ms,"
        + " median of %d fresh JVMs", PROMPTS, ms, reps);
    List<Result> out = new ArrayList<>();
    out.add(new Result("10a", "first chat request after process start, java -jar (s)",
        p.firstChatS(), Double.NaN, cond + "; first request (policy probe) at "
            + fmt(p.firstRequestS()) + " s; all " + firsts(plain)));
    out.add(new Result("10b", "first chat request after process start, ./tpo (s)",
        l.firstChatS(), FIRST_REQUEST_GOAL_S, cond + "; C1 + class-data archive; first request"
            + " at " + fmt(l.firstRequestS()) + " s; all " + firsts(launched)
            + "; hello-world JVM " + fmt(h.wallS()) + " s"));
    out.add(new Result("10c", "client CPU of the run, java -jar (s)", p.cpuS(), Double.NaN,
        cond + "; wall " + fmt(p.wallS()) + " s; all " + cpus(plain)));
    out.add(new Result("10d", "client CPU of the run, ./tpo (s)", l.cpuS(), REFERENCE_CPU_S,
        cond + "; wall " + fmt(l.wallS()) + " s; all " + cpus(launched) + "; target: the Python"
            + " reference's 3.6 s; the archive-writing first run took " + fmt(dump.cpuS())
            + " s CPU"));
    out.add(new Result("10e", "hello-world JVM start to exit (s)", h.wallS(), Double.NaN,
        "java -cp DIR HelloWorld, same JVM; CPU " + fmt(h.cpuS()) + " s; all "
            + fmt(helloWorld.stream().map(Sample::wallS).toList())));
    return out;
  }

  private static Sample runTpo(SimulatorProcess sim, Path dir, String name, List<String> start,
      Path data, Path jar) throws Exception {
    Path out = dir.resolve(name + ".jsonl");
    String base = sim.baseUrl();
    List<String> cmd = new ArrayList<>(start);
    cmd.addAll(List.of("run", "--data", data.toString(), "--base-url", base + "/v1", "--model",
        "sim-model", "--reward", "vllm+" + base, "--samples", "5", "--iterations", "2",
        "--concurrency", "4", "--out", out.toString(), "--progress", "off"));
    sim.reset();
    Timed t = timed(dir, name, cmd, Map.of("TPO_JAR", jar.toString(),
        "JAVA_HOME", System.getProperty("java.home")));
    if (t.exit() != 0) {
      throw new IllegalStateException(name + ": tpo run exited " + t.exit() + ":\n"
          + Files.readString(dir.resolve(name + ".err")));
    }
    long lines = Files.readAllLines(out).stream().filter(s -> !s.isBlank()).count();
    if (lines != PROMPTS) {
      throw new IllegalStateException(name + ": " + lines + " result lines, not " + PROMPTS);
    }
    JsonNode first = sim.stats().path("firstArrivalEpochMillis");
    long chat = first.path("/v1/chat/completions").asLong(-1);
    long any = Long.MAX_VALUE;
    for (JsonNode v : first) {
      any = Math.min(any, v.asLong());
    }
    if (chat < 0) {
      throw new IllegalStateException(name + ": the simulator saw no chat request");
    }
    return new Sample((chat - t.startMillis()) / 1e3, (any - t.startMillis()) / 1e3, t.cpuS(),
        t.wallS());
  }

  private static Sample runHello(Path dir, String java, Path classPath) throws Exception {
    Timed t = timed(dir, "hello", List.of(java, "-cp", classPath.toString(),
        HelloWorld.class.getName()), Map.of());
    if (t.exit() != 0 || !Files.readString(dir.resolve("hello.out")).contains("hello")) {
      throw new IllegalStateException("the hello-world JVM failed: "
          + Files.readString(dir.resolve("hello.err")));
    }
    return new Sample(Double.NaN, Double.NaN, t.cpuS(), t.wallS());
  }

  /** A finished process: when it started, its exit status, CPU and wall time. */
  private record Timed(long startMillis, int exit, double cpuS, double wallS) {}

  /**
   * Runs a command under bash and reads its CPU time (user + system of the process tree) from
   * bash's {@code times}.
   */
  private static Timed timed(Path dir, String name, List<String> cmd, Map<String, String> env)
      throws IOException, InterruptedException {
    Path times = dir.resolve(name + ".times");
    List<String> wrapped = new ArrayList<>(List.of("bash", "-c",
        "\"$@\"; s=$?; times > \"$TPO_TIMES_FILE\"; exit $s", "startup"));
    wrapped.addAll(cmd);
    ProcessBuilder pb = new ProcessBuilder(wrapped).directory(dir.toFile())
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectError(dir.resolve(name + ".err").toFile());
    pb.environment().put("TPO_TIMES_FILE", times.toString());
    pb.environment().put("LC_ALL", "C");
    for (String k : List.of("TPO_JAVA_OPTS", "TPO_JIT", "TPO_CDS", "JAVA_TOOL_OPTIONS")) {
      pb.environment().remove(k);
    }
    pb.environment().putAll(env);
    long startMillis = System.currentTimeMillis();
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor();
      throw new IllegalStateException(name + " ran over 10 minutes: " + cmd);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    List<String> lines = Files.readAllLines(times);
    // line 1: the shell's own times; line 2: its children's (the JVM)
    Matcher m = TIMES.matcher(lines.size() > 1 ? lines.get(1) : "");
    if (!m.find()) {
      throw new IllegalStateException("cannot read the CPU times of " + name + ": " + lines);
    }
    double cpu = Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2))
        + Integer.parseInt(m.group(3)) * 60 + Double.parseDouble(m.group(4));
    return new Timed(startMillis, p.exitValue(), cpu, wall);
  }

  private static Path helloClassPath() throws URISyntaxException {
    return Path.of(HelloWorld.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static Sample median(List<Sample> samples) {
    return new Sample(median(samples.stream().mapToDouble(Sample::firstChatS).toArray()),
        median(samples.stream().mapToDouble(Sample::firstRequestS).toArray()),
        median(samples.stream().mapToDouble(Sample::cpuS).toArray()),
        median(samples.stream().mapToDouble(Sample::wallS).toArray()));
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static String firsts(List<Sample> s) {
    return fmt(s.stream().map(Sample::firstChatS).toList());
  }

  private static String cpus(List<Sample> s) {
    return fmt(s.stream().map(Sample::cpuS).toList());
  }

  private static String fmt(List<Double> values) {
    return values.stream().map(StartupMeasure::fmt).toList().toString();
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
