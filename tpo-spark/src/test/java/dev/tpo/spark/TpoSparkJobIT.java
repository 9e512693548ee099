package dev.tpo.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.zip.ZipFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar the way {@code spark-submit} runs it: a JVM whose class path is Spark's own jars
 * (the provided scope, Jackson 2.21 with jackson-module-scala) plus {@code tpo-spark-job.jar},
 * on {@code local[*]}; a first run over part of the prompts, then {@code --resume} over all of
 * them, Parquet out, exactly one row per id.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TpoSparkJobIT {
  private static final String KEY = "sk-job-key-3b8e21";
  @TempDir Path dir;

  @Test
  void runsTheJobJarOnSparksClassPathAndResumes() throws Exception {
    Path jar = Path.of(System.getProperty("tpo.spark.jobJar"));
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      assertThat(zip.stream().map(e -> e.getName()))
          .as("Jackson is relocated, Spark's own is left alone")
          .noneMatch(n -> n.startsWith("com/fasterxml/jackson/"))
          .anyMatch(n -> n.startsWith("dev/tpo/spark/shaded/jackson/databind/"))
          .noneMatch(n -> n.startsWith("org/apache/spark/"));
    }
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().requireApiKey(KEY)
        .start()) {
      Path some = dir.resolve("some.jsonl");
      Path all = dir.resolve("all.jsonl");
      Files.write(some, lines(0, 20), StandardCharsets.UTF_8);
      Files.write(all, lines(0, 30), StandardCharsets.UTF_8);
      Path out = dir.resolve("out");

      Result first = job(server, some, out);
      assertThat(first.exit).as(first.output).isZero();
      assertThat(first.output).contains("20 prompts, 0 already done (skipped), 20 done now");
      Result second = job(server, all, out, "--resume");
      assertThat(second.exit).as(second.output).isZero();
      assertThat(second.output).contains("30 prompts, 20 already done (skipped), 10 done now");
      assertThat(first.output + second.output).doesNotContain(KEY);

      SparkSession spark = SparkSession.builder().master("local[1]")
          .config("spark.ui.enabled", "false").getOrCreate();
      try {
        Dataset<Row> rows = spark.read().parquet(out.toString());
        assertThat(rows.count()).isEqualTo(30);
        assertThat(rows.select("id").distinct().count()).isEqualTo(30);
        assertThat(rows.filter("error is null and answer is not null").count()).isEqualTo(30);
      } finally {
        spark.stop();
      }
    }
  }

  private static List<String> lines(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "{\"id\":\"q" + i
        + "\",\"prompt\":\"How do I water basil, take " + i + "?\"}").toList();
  }

  private record Result(int exit, String output) {}

  private Result job(SimulatedOpenAiServer server, Path input, Path out, String... extra)
      throws IOException, InterruptedException {
    String sparkClassPath = Files.readString(Path.of(System.getProperty("tpo.spark.classpath")))
        .trim();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Arrays.asList(System.getProperty("tpo.spark.jvmArgs").trim().split("\\s+")));
    cmd.add("-cp");
    cmd.add(System.getProperty("tpo.spark.jobJar") + File.pathSeparator + sparkClassPath);
    cmd.add("dev.tpo.spark.TpoSparkJob");
    cmd.addAll(List.of("--master", "local[*]", "--input", input.toString(),
        "--output", out.toString(), "--base-url", server.openAiBaseUrl(), "--model", "sim-model",
        "--reward", "vllm+" + server.baseUrl() + "/classify?model=sim-reward",
        "--samples", "2", "--iterations", "1", "--chunks", "2", "--runs-per-task", "8"));
    cmd.addAll(List.of(extra));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("TPO_API_KEY", KEY);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(4, TimeUnit.MINUTES)) {
      p.destroyForcibly();
    }
    return new Result(p.exitValue(), output);
  }
}
