package dev.tpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./tpo} launcher's start-up options (issue 21), run as a process on the real jar
 * against the simulator: the first {@code tpo run} writes the (static) class-data archive next to
 * the jar, the next runs use it (picocli's classes too), a stale or broken archive never stops a
 * run, and {@code TPO_CDS=0} and {@code TPO_JIT=full} turn the options off. The jar is linked into
 * a temporary directory ({@code TPO_JAR}), so the test writes no archive beside the build's own
 * jar.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherIT {
  private static final Path BUILT_JAR = Path.of("target", "tpo.jar").toAbsolutePath();
  private static final Path LAUNCHER = Path.of("..", "tpo").toAbsolutePath().normalize();

  @TempDir static Path dir;
  private static SimulatedOpenAiServer server;
  private static Path jar;
  private static Path jsa;
  private static Path data;

  record Run(int exit, String stdout, String stderr) {}

  @BeforeAll
  static void setUp() throws IOException {
    assertThat(BUILT_JAR).as("the CLI jar; build it with mvn -B -DskipTests package").exists();
    assertThat(LAUNCHER).as("the launcher at the repository root").isExecutable();
    server = SimulatedOpenAiServer.builder().latency(Duration.ofMillis(5)).start();
    jar = dir.resolve("tpo.jar");
    try {
      Files.createSymbolicLink(jar, BUILT_JAR);
    } catch (UnsupportedOperationException | IOException e) {
      Files.copy(BUILT_JAR, jar);
    }
    jsa = dir.resolve("tpo.jsa");
    data = dir.resolve("prompts.json");
    Files.writeString(data, "[\"one\", \"two\"]");
  }

  @AfterAll
  static void tearDown() {
    if (server != null) {
      server.close();
    }
  }

  private static Run launch(Map<String, String> env, String name, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("TPO_JAR", jar.toString());
    pb.environment().remove("TPO_JAVA_OPTS");
    pb.environment().remove("TPO_CDS");
    pb.environment().remove("TPO_JIT");
    pb.environment().putAll(env);
    Process p = pb.start();
    boolean done = p.waitFor(240, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly().waitFor();
    }
    assertThat(done).as("./tpo %s finished", List.of(args)).isTrue();
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** A short run; TPO_JAVA_OPTS logs where each class came from into {@code name.classes}. */
  private static Run run(Map<String, String> env, String name) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.putIfAbsent("TPO_JAVA_OPTS",
        "-Xlog:class+load=info:file=" + dir.resolve(name + ".classes"));
    return launch(all, name, "run", "--data", data.toString(), "--base-url",
        server.openAiBaseUrl(), "--model", "sim-model", "--reward", "vllm+" + server.baseUrl(),
        "--samples", "2", "--iterations", "1", "--out", dir.resolve(name + ".jsonl").toString(),
        "--progress", "off");
  }

  /**
   * How many of the application's classes (not the JDK's, which the JDK's own archive holds) the
   * named run loaded from a class-data archive.
   */
  private static long fromArchive(String name) throws IOException {
    return Files.readAllLines(dir.resolve(name + ".classes")).stream()
        .filter(l -> l.contains("source: shared objects file"))
        .filter(l -> !l.matches(".*\\] (java|javax|jdk|sun|com\\.sun)\\..*")).count();
  }

  @Test
  @Order(1)
  void helpBeforeAnyRunWritesNoArchive() throws Exception {
    Run r = launch(Map.of(), "help", "--help");
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("run");
    assertThat(jsa).doesNotExist();
  }

  @Test
  @Order(2)
  void firstRunWritesTheArchiveAndTheNextRunLoadsItsClassesFromIt() throws Exception {
    Run first = run(Map.of(), "first");
    assertThat(first.exit()).as(first.stderr()).isZero();
    assertThat(Files.readAllLines(dir.resolve("first.jsonl"))).hasSize(2);
    assertThat(jsa).as("the archive next to the jar").exists();
    assertThat(Files.size(jsa)).isPositive();
    assertThat(first.stdout() + first.stderr()).doesNotContain("[cds").doesNotContain("warning]");
    assertThat(fromArchive("first")).isZero();
    // issue 21: plain chat requests and the model probe go through the SDK's retrying client,
    // not its services, whose Kotlin-reflection model lookup cost 0.3 s of CPU before the first
    // request; the SDK's client is built only for streamed requests (not asked for here)
    List<String> loaded = Files.readAllLines(dir.resolve("first.classes"));
    assertThat(loaded).anyMatch(l -> l.contains("com.openai.core.http.RetryingHttpClient "));
    // (the SDK's JSON set-up makes a few KClass objects; their descriptors are never read)
    assertThat(loaded).noneMatch(l -> l.contains(" kotlin.reflect.jvm.internal.impl."));
    assertThat(loaded).noneMatch(l -> l.contains(" com.openai.services."));

    Run second = run(Map.of(), "second");
    assertThat(second.exit()).as(second.stderr()).isZero();
    assertThat(Files.readAllLines(dir.resolve("second.jsonl"))).hasSize(2);
    // the application's classes (Jackson, OkHttp, the SDK, tpo's own) come from the archive
    assertThat(fromArchive("second")).isGreaterThan(500);
    // picocli's too, Java 5 class files that only a static archive holds (issue 21)
    List<String> picocli = Files.readAllLines(dir.resolve("second.classes")).stream()
        .filter(l -> l.contains("] picocli.")).toList();
    assertThat(picocli).hasSizeGreaterThan(100)
        .allMatch(l -> l.contains("source: shared objects file"));
    assertThat(second.stdout() + second.stderr()).doesNotContain("[cds");
  }

  @Test
  @Order(3)
  void anArchiveOlderThanTheJarIsMadeAgain() throws Exception {
    FileTime jarTime = Files.getLastModifiedTime(jar); // follows the link
    Files.setLastModifiedTime(jsa, FileTime.fromMillis(jarTime.toMillis() - 60_000));
    Run r = run(Map.of(), "stale");
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(fromArchive("stale")).as("a stale archive is not used").isZero();
    assertThat(Files.getLastModifiedTime(jsa).toMillis()).isGreaterThan(jarTime.toMillis());
    Run again = run(Map.of(), "renewed");
    assertThat(again.exit()).as(again.stderr()).isZero();
    assertThat(fromArchive("renewed")).isGreaterThan(500);
  }

  @Test
  @Order(4)
  void aBrokenArchiveNeverStopsACommandNorShowsAWarning() throws Exception {
    Files.delete(jsa);
    Files.writeString(jsa, "not an archive");
    Run r = run(Map.of(), "broken");
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(Files.readAllLines(dir.resolve("broken.jsonl"))).hasSize(2);
    assertThat(r.stdout() + r.stderr()).doesNotContain("[cds").doesNotContain("shared archive")
        .doesNotContain("warning]");
    Run help = launch(Map.of(), "brokenhelp", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.stdout() + help.stderr()).doesNotContain("[cds");
  }

  @Test
  @Order(5)
  void tpoCdsZeroAndTpoJitFullTurnTheOptionsOff() throws Exception {
    Files.delete(jsa);
    Run r = run(Map.of("TPO_CDS", "0"), "nocds");
    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(jsa).doesNotExist();

    Run c1 = launch(Map.of("TPO_JAVA_OPTS", "-XX:+PrintFlagsFinal"), "c1", "--help");
    assertThat(c1.exit()).isZero();
    assertThat(c1.stdout()).containsPattern("TieredStopAtLevel\\s+= 1\\s")
        .containsPattern("CICompilerCount\\s+= 1\\s");
    Run full = launch(Map.of("TPO_JIT", "full", "TPO_JAVA_OPTS", "-XX:+PrintFlagsFinal"), "full",
        "--help");
    assertThat(full.exit()).isZero();
    assertThat(full.stdout()).containsPattern("TieredStopAtLevel\\s+= 4\\s")
        .doesNotContainPattern("CICompilerCount\\s+= 1\\s");
  }
}
