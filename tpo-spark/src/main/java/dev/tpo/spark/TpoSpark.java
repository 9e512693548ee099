package dev.tpo.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;

import dev.tpo.core.error.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TPO over a dataset of prompts on Apache Spark.
 *
 * <pre>{@code
 * TpoJobSpec spec = TpoJobSpec.builder()
 *     .baseUrl("http://gpu0:8000/v1").baseUrl("http://gpu1:8000/v1")
 *     .model("Qwen/Qwen2.5-7B-Instruct")
 *     .reward("vllm+http://rm:8001?model=Skywork-Reward")
 *     .build();
 * Dataset<Row> prompts = spark.read().json("s3a://bucket/prompts.jsonl"); // id, prompt
 * TpoJobSummary s = TpoSpark.write(prompts, spec,
 *     TpoOutput.parquet("s3a://bucket/tpo-results").withResume(true).withChunks(20));
 * }</pre>
 *
 * <p>Each executor JVM builds one {@link dev.tpo.Tpo} from the spec on first use and shares it
 * with all its tasks; each task keeps {@link TpoJobSpec#runsPerTask()} runs in flight and emits
 * every result as soon as it is ready. Every check of the spec and the input runs on the driver
 * before any task starts.
 *
 * <p>Stateless; thread-safe.
 */
public final class TpoSpark {
  private static final Logger LOG = LoggerFactory.getLogger(TpoSpark.class);
  private static final String COALESCE = "spark.sql.adaptive.coalescePartitions.enabled";

  private TpoSpark() {}

  /**
   * The results of TPO over the prompts, one row per distinct id ({@link TpoRows#SCHEMA}); lazy,
   * like any dataset: nothing runs until it is written or collected.
   *
   * @param prompts the prompts, with the spec's prompt column (a string) and optionally its id
   *     column
   * @param spec the job's spec
   * @return the results
   * @throws ConfigurationException when the spec or the input is unusable (on the driver)
   */
  public static Dataset<Row> optimize(Dataset<Row> prompts, TpoJobSpec spec) {
    return optimize(prompts, spec, TpoCounters.register(prompts.sparkSession().sparkContext()));
  }

  /**
   * Like {@link #optimize(Dataset, TpoJobSpec)}, counting into the given accumulators.
   *
   * @param prompts the prompts
   * @param spec the job's spec
   * @param counters accumulators registered on this session's context
   * @return the results
   */
  public static Dataset<Row> optimize(Dataset<Row> prompts, TpoJobSpec spec,
      TpoCounters counters) {
    check(spec);
    return run(normalize(prompts, spec), spec, counters, 0);
  }

  private static Dataset<Row> run(Dataset<Row> normalized, TpoJobSpec spec,
      TpoCounters counters, int partitions) {
    Dataset<Row> input = partitions > 0 ? normalized.repartition(partitions, col("id"))
        : normalized;
    int window = spec.runsPerTask();
    MapPartitionsFunction<Row, Row> f = rows ->
        new PartitionRunner(rows, ExecutorTpo.get(spec), counters, window);
    return input.mapPartitions(f, Encoders.row(TpoRows.SCHEMA));
  }

  /**
   * Runs TPO over the prompts and writes the results through Spark's commit protocol: a task
   * retried by Spark leaves no duplicate row, and a killed job leaves only whole chunks. With
   * {@code resume}, ids already in the output are skipped, so running the same call again after
   * a failure finishes the rest; every id ends up in the output exactly once.
   *
   * @param prompts the prompts
   * @param spec the job's spec
   * @param output where and how to write
   * @return what the job did
   * @throws ConfigurationException when the spec or the input is unusable, or the output holds
   *     results and resume is off (all on the driver, before any task)
   */
  public static TpoJobSummary write(Dataset<Row> prompts, TpoJobSpec spec, TpoOutput output) {
    check(spec);
    SparkSession spark = prompts.sparkSession();
    Dataset<Row> all = normalize(prompts, spec);
    Optional<Dataset<Row>> existing = existing(spark, output);
    if (existing.isPresent() && !output.resume()) {
      throw new ConfigurationException("the output " + output.path() + " already holds results;"
          + " resume to skip the prompts done there, or choose another directory");
    }
    long start = System.nanoTime();
    TpoCounters counters = TpoCounters.register(spark.sparkContext());
    long total = all.count();
    Dataset<Row> todo = existing.map(done -> all.join(done.select("id").distinct(),
        all.col("id").equalTo(done.col("id")), "left_anti")).orElse(all);
    long remaining = existing.isPresent() ? todo.count() : total;
    int partitions = output.partitions() > 0 ? output.partitions()
        : spark.sparkContext().defaultParallelism();
    LOG.info("TPO on Spark: {} prompts, {} already in {}, {} to run in {} chunk(s) of {} tasks",
        total, total - remaining, output.path(), remaining, output.chunks(), partitions);
    // A few kilobytes of prompts are hours of model time: adaptive execution must not merge
    // the tasks because the data is small.
    String coalesce = spark.conf().get(COALESCE, "true");
    spark.conf().set(COALESCE, "false");
    try {
      for (int chunk = 0; chunk < output.chunks() && remaining > 0; chunk++) {
        Dataset<Row> part = output.chunks() == 1 ? todo
            : todo.filter(pmod(hash(col("id")), lit(output.chunks())).equalTo(chunk));
        run(part, spec, counters, partitions).write().mode(SaveMode.Append)
            .format(output.format().sparkName()).save(output.path());
      }
    } finally {
      spark.conf().set(COALESCE, coalesce);
    }
    TpoJobSummary summary = new TpoJobSummary(total, total - remaining, counters.promptsDone(),
        counters.promptsFailed(), counters.requests(), counters.tokensByPhase(),
        Duration.ofNanos(System.nanoTime() - start));
    LOG.info(summary.render());
    return summary;
  }

  /**
   * Reads results written by {@link #write}.
   *
   * @param spark the session
   * @param output where they were written
   * @return the results, with {@link TpoRows#SCHEMA}
   */
  public static Dataset<Row> read(SparkSession spark, TpoOutput output) {
    return spark.read().schema(TpoRows.SCHEMA).format(output.format().sparkName())
        .load(output.path());
  }

  private static Optional<Dataset<Row>> existing(SparkSession spark, TpoOutput output) {
    Path dir = new Path(output.path());
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(dir)) {
        return Optional.empty();
      }
      FileStatus[] files = fs.listStatus(dir, p -> !p.getName().startsWith("_")
          && !p.getName().startsWith("."));
      if (files.length == 0) {
        return Optional.empty();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the output " + output.path(), e);
    }
    return Optional.of(read(spark, output));
  }

  /** The input as (id, prompt) strings, one row per id; checks the columns. */
  static Dataset<Row> normalize(Dataset<Row> prompts, TpoJobSpec spec) {
    String[] names = prompts.columns();
    if (!Arrays.asList(names).contains(spec.promptColumn())) {
      throw new ConfigurationException("the input has no column '" + spec.promptColumn()
          + "' (it has " + Arrays.toString(names) + "); set TpoJobSpec.promptColumn to the"
          + " column with the prompts");
    }
    requireString(prompts, spec.promptColumn());
    Dataset<Row> withId;
    if (Arrays.asList(names).contains(spec.idColumn())) {
      withId = prompts.select(col(spec.idColumn()).cast(DataTypes.StringType).as("id"),
          col(spec.promptColumn()).as("prompt"));
    } else {
      withId = prompts.select(substring(sha2(col(spec.promptColumn()), 256), 1, 16).as("id"),
          col(spec.promptColumn()).as("prompt"));
    }
    return withId.filter(col("id").isNotNull().and(col("prompt").isNotNull()))
        .dropDuplicates("id");
  }

  private static void requireString(Dataset<Row> prompts, String column) {
    for (StructField f : prompts.schema().fields()) {
      if (f.name().equals(column)) {
        DataType t = f.dataType();
        if (!t.equals(DataTypes.StringType)) {
          throw new ConfigurationException("the input column '" + column + "' is "
              + t.simpleString() + "; it must hold the prompts as strings");
        }
      }
    }
  }

  /**
   * Checks on the driver that executors can build a {@link dev.tpo.Tpo} from the spec: the
   * settings, the mode and every reward spec (nothing is sent, no key is read).
   */
  static void check(TpoJobSpec spec) {
    ExecutorTpo.Built built = ExecutorTpo.build(spec, names -> Optional.empty());
    ExecutorTpo.close(built.resources());
  }
}
