package dev.tpo.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.event.Phase;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TPO on Spark in local mode (two task threads; {@code local[2,4]} lets a failed task be retried,
 * which plain {@code local[2]} never does) against the simulated server, which requires an API key
 * that only the Spark configuration holds: end to end, a task failure mid-way, resume after a
 * killed job, the key kept out of plan, logs, event log and output, a bad spec refused on the
 * driver.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TpoSparkTest {
  private static final String SECRET = "sk-spark-secret-7f3a9c51";
  private static final StructType INPUT = new StructType()
      .add("id", DataTypes.StringType).add("prompt", DataTypes.StringType);

  @TempDir static Path dir;
  private SimulatedOpenAiServer server;
  private SparkSession spark;

  @BeforeAll
  void start() throws IOException {
    server = SimulatedOpenAiServer.builder().requireApiKey(SECRET).start();
    Path events = Files.createDirectories(dir.resolve("events"));
    spark = SparkSession.builder()
        .master("local[2,4]")
        .appName("tpo-spark-test")
        .config(TpoJobSpec.POLICY_TOKEN_CONF, SECRET)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.eventLog.enabled", "true")
        .config("spark.eventLog.compress", "false")
        .config("spark.eventLog.dir", events.toUri().toString())
        .getOrCreate();
  }

  @AfterAll
  void stop() {
    if (spark != null) {
      spark.stop();
    }
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void noFaults() {
    PartitionRunner.faultHook = null;
  }

  private TpoJobSpec.Builder spec() {
    return TpoJobSpec.builder()
        .baseUrl(server.openAiBaseUrl())
        .model("sim-model")
        .reward("vllm+" + server.baseUrl() + "/classify?model=sim-reward")
        .samples(2)
        .iterations(1)
        .maxTokens(256)
        .maxContextTokens(4096)
        .runsPerTask(16)
        .timeout(Duration.ofSeconds(60));
  }

  private Dataset<Row> prompts(String prefix, int count) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(RowFactory.create(prefix + i, "question " + prefix + i + ": how do I keep basil"
          + " alive indoors?"));
    }
    return spark.createDataFrame(rows, INPUT);
  }

  private static void assertExactlyOnce(Dataset<Row> out, int count) {
    assertThat(out.count()).isEqualTo(count);
    assertThat(out.select("id").distinct().count()).isEqualTo(count);
  }

  @Test
  @Order(1)
  void optimizesAThousandPromptsEndToEndIntoParquet() {
    TpoOutput output = TpoOutput.parquet(dir.resolve("e2e").toString());
    TpoJobSummary s = TpoSpark.write(prompts("p", 1000), spec().build(), output);

    Dataset<Row> out = TpoSpark.read(spark, output);
    assertExactlyOnce(out, 1000);
    assertThat(out.filter("error is not null").count()).isZero();
    Row first = out.filter("id = 'p7'").first();
    assertThat(first.getString(first.fieldIndex("prompt"))).contains("question p7");
    assertThat(first.getString(first.fieldIndex("answer"))).isNotBlank();
    assertThat(first.getList(first.fieldIndex("pool"))).hasSize(4); // N=2, sampling + 1 round
    Row usage = first.getStruct(first.fieldIndex("usage"));
    assertThat(usage.getLong(usage.fieldIndex("completion_tokens"))).isPositive();

    assertThat(s.prompts()).isEqualTo(1000);
    assertThat(s.done()).isEqualTo(1000);
    assertThat(s.failed()).isZero();
    assertThat(s.skipped()).isZero();
    assertThat(s.tokensByPhase().get(Phase.SAMPLING)).isPositive();
    assertThat(s.tokensByPhase().get(Phase.UPDATE)).isPositive();
    assertThat(s.requests()).isEqualTo(out.selectExpr("sum(usage.requests)").first().getLong(0));
    assertThat(server.stats().requests(SimulatedOpenAiServer.CHAT_PATH)).isEqualTo(4000);
    assertThat(ExecutorTpo.builds()).as("one Tpo for the executor, shared by its tasks")
        .isEqualTo(1);
    assertThat(s.render()).contains("1000 done now");
  }

  @Test
  @Order(2)
  void aTaskFailingMidwayIsRetriedAndEveryIdIsWrittenOnce() {
    AtomicBoolean fired = new AtomicBoolean();
    PartitionRunner.faultHook = (partition, attempt, emitted) -> {
      if (attempt == 0 && emitted == 20 && fired.compareAndSet(false, true)) {
        throw new IllegalStateException("injected task failure");
      }
    };
    TpoOutput output = TpoOutput.parquet(dir.resolve("retried").toString()).withPartitions(4);
    TpoJobSummary s = TpoSpark.write(prompts("f", 200), spec().build(), output);

    assertThat(fired).isTrue();
    assertExactlyOnce(TpoSpark.read(spark, output), 200);
    assertThat(s.done()).as("the failed attempt's counts are dropped").isEqualTo(200);
  }

  @Test
  @Order(3)
  void resumesAfterAKilledJobWithEveryIdOnce() throws Exception {
    Path out = dir.resolve("resumed");
    TpoOutput output = new TpoOutput(out.toString(), TpoOutput.Format.JSON, true, 4, 2);
    // once the first chunk is committed, every task fails: Spark gives up and the job dies
    PartitionRunner.faultHook = (partition, attempt, emitted) -> {
      if (Files.exists(out.resolve("_SUCCESS"))) {
        throw new IllegalStateException("injected: the job is killed");
      }
    };
    assertThatThrownBy(() -> TpoSpark.write(prompts("r", 400), spec().build(), output))
        .hasMessageContaining("injected: the job is killed");
    PartitionRunner.faultHook = null;

    long kept = TpoSpark.read(spark, output).count();
    assertThat(kept).as("the first chunk's rows, and only whole chunks").isBetween(1L, 399L);
    assertExactlyOnce(TpoSpark.read(spark, output), (int) kept);

    TpoJobSummary s = TpoSpark.write(prompts("r", 400), spec().build(), output);
    assertThat(s.skipped()).isEqualTo(kept);
    assertThat(s.done()).isEqualTo(400 - kept);
    assertExactlyOnce(TpoSpark.read(spark, output), 400);

    TpoJobSummary again = TpoSpark.write(prompts("r", 400), spec().build(), output);
    assertThat(again.skipped()).isEqualTo(400);
    assertThat(again.done()).isZero();
    assertExactlyOnce(TpoSpark.read(spark, output), 400);
  }

  @Test
  @Order(4)
  void theApiKeyIsNeverInThePlanTheLogsTheEventLogOrTheOutput() throws Exception {
    TpoJobSpec spec = spec().build();
    // it reached the executors: the server answers only with it, and every run succeeded
    assertThat(TpoSpark.read(spark, TpoOutput.parquet(dir.resolve("e2e").toString()))
        .filter("error is null").count()).isEqualTo(1000);

    ByteArrayOutputStream serialized = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(serialized)) {
      o.writeObject(spec);
    }
    assertThat(serialized.toString(StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
    assertThat(spec.toString()).doesNotContain(SECRET);

    Dataset<Row> planned = TpoSpark.optimize(prompts("s", 3), spec);
    assertThat(planned.queryExecution().toString()).doesNotContain(SECRET);
    assertThat(planned.queryExecution().explainString(
        org.apache.spark.sql.execution.ExtendedMode$.MODULE$)).doesNotContain(SECRET);

    Path log = Path.of("target", "tpo-spark-test.log");
    assertThat(log).exists();
    assertThat(Files.readString(log)).contains("built the executor's Tpo").doesNotContain(SECRET);
    assertThat(textUnder(dir.resolve("events"))).contains("SparkListenerEnvironmentUpdate")
        .doesNotContain(SECRET);
    assertThat(textUnder(dir.resolve("e2e"))).doesNotContain(SECRET);
    assertThat(textUnder(dir.resolve("resumed"))).contains("\"answer\"").doesNotContain(SECRET);
  }

  @Test
  @Order(5)
  void aBadSpecIsRefusedOnTheDriverBeforeAnyTask() {
    int builds = ExecutorTpo.builds();
    spark.sparkContext().setJobGroup("bad-spec", "must start no job", false);
    try {
      assertThatThrownBy(() -> TpoJobSpec.builder().model("m").build())
          .isInstanceOf(ConfigurationException.class).hasMessageContaining("no policy server");
      assertThatThrownBy(() -> spec().samples(0).build())
          .hasMessageContaining("TpoJobSpec.samples must be between 1 and 256, got 0");
      assertThatThrownBy(() -> TpoSpark.write(prompts("b", 10),
          spec().reward("nonsense-spec").build(), TpoOutput.parquet(dir.resolve("b").toString())))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining("nonsense-spec");
      assertThatThrownBy(() -> TpoSpark.optimize(prompts("b", 10).withColumnRenamed("prompt",
          "text"), spec().build()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("no column 'prompt'").hasMessageContaining("promptColumn");
      assertThatThrownBy(() -> TpoSpark.write(prompts("b", 10), spec().build(),
          TpoOutput.parquet(dir.resolve("e2e").toString())))
          .isInstanceOf(ConfigurationException.class).hasMessageContaining("already holds");
    } finally {
      spark.sparkContext().clearJobGroup();
    }
    assertThat(spark.sparkContext().statusTracker().getJobIdsForGroup("bad-spec")).isEmpty();
    assertThat(ExecutorTpo.builds()).isEqualTo(builds);
  }

  private static String textUnder(Path root) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      }
    }
    return all.toString();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
