package dev.tpo.spark;

import dev.tpo.PromptLayout;
import dev.tpo.core.error.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code spark-submit} entry point: reads prompts (JSON lines or Parquet), runs TPO over them
 * and writes the results (Parquet or JSON lines), resumably, then prints the summary.
 *
 * <pre>
 * spark-submit --class dev.tpo.spark.TpoSparkJob tpo-spark/target/tpo-spark-job.jar \
 *   --input prompts.jsonl --output tpo-results --base-url http://gpu0:8000/v1 \
 *   --base-url http://gpu1:8000/v1 --model Qwen/Qwen2.5-7B-Instruct \
 *   --reward vllm+http://rm:8001 --resume
 * </pre>
 *
 * Options: {@code --input PATH} and {@code --output PATH} (required), {@code --input-format
 * json|parquet} (default from the extension, else json), {@code --format parquet|json}
 * (default parquet), {@code --resume}, {@code --chunks N} (default 1), {@code --partitions N}
 * (tasks per chunk, default the cluster's parallelism), {@code --base-url URL} (repeatable),
 * {@code --model NAME}, {@code --reward SPEC} (repeatable, default judge), {@code --mode},
 * {@code --samples}, {@code --iterations}, {@code --temperature}, {@code --top-p}, {@code
 * --seed}, {@code --max-tokens-response}, {@code --max-tokens-all}, {@code --early-stop-rounds
 * K}, {@code --early-stop-margin DELTA}, {@code --stop-at-max-score}, {@code --prompt-layout
 * reference|prefix-shared}, {@code --stream-scoring}, {@code --timeout SECONDS},
 * {@code --max-retries}, {@code --runs-per-task}, {@code --max-concurrent-per-endpoint},
 * {@code --id-column}, {@code --prompt-column}, {@code --master URL} (when not submitted). API
 * keys: the executors' {@code TPO_API_KEY} and {@code TPO_REWARD_API_KEY}, or the Spark
 * configuration {@value TpoJobSpec#POLICY_TOKEN_CONF} and {@value TpoJobSpec#REWARD_TOKEN_CONF}.
 * Exit status 0 when every prompt has a result, 1 when some failed, 2 on bad options.
 *
 * <p>Not instantiable; thread-safe.
 */
public final class TpoSparkJob {
  private TpoSparkJob() {}

  /**
   * Runs the job.
   *
   * @param args see the class Javadoc
   */
  public static void main(String[] args) {
    int status;
    try {
      status = run(args);
    } catch (ConfigurationException e) {
      System.err.println("tpo-spark: " + e.getMessage());
      status = 2;
    }
    System.exit(status);
  }

  /**
   * Runs the job and returns its exit status, without exiting (tests).
   *
   * @param args see the class Javadoc
   * @return 0 when every prompt has a result, 1 when some failed
   * @throws ConfigurationException on bad options, before any task starts
   */
  public static int run(String[] args) {
    Options o = Options.parse(args);
    TpoJobSpec spec = o.spec.build(); // refused here, before Spark starts
    TpoOutput output = o.output();
    SparkSession.Builder sb = SparkSession.builder().appName("tpo-spark");
    if (o.master != null) {
      sb.master(o.master);
    }
    SparkSession spark = sb.getOrCreate();
    try {
      Dataset<Row> prompts = "parquet".equals(o.inputFormat)
          ? spark.read().parquet(o.input) : spark.read().json(o.input);
      TpoJobSummary summary = TpoSpark.write(prompts, spec, output);
      System.out.println(summary.render());
      return summary.failed() > 0 ? 1 : 0;
    } finally {
      if (o.master != null) {
        spark.stop();
      }
    }
  }

  /** The parsed command line. Not thread-safe. */
  static final class Options {
    final TpoJobSpec.Builder spec = TpoJobSpec.builder();
    String input;
    String inputFormat;
    String output;
    String format = "parquet";
    boolean resume;
    int chunks = 1;
    int partitions;
    String master;

    TpoOutput output() {
      return new TpoOutput(output, TpoOutput.Format.of(format), resume, chunks, partitions);
    }

    static Options parse(String[] args) {
      Options o = new Options();
      List<String> a = new ArrayList<>(List.of(args));
      for (int i = 0; i < a.size(); i++) {
        String name = a.get(i);
        if (name.equals("--resume")) {
          o.resume = true;
          continue;
        }
        if (name.equals("--stop-at-max-score")) {
          o.spec.stopAtMaxScore(true);
          continue;
        }
        if (name.equals("--stream-scoring")) {
          o.spec.streamScoring(true);
          continue;
        }
        if (i + 1 >= a.size()) {
          throw new ConfigurationException(name + " needs a value");
        }
        String v = a.get(++i);
        switch (name) {
          case "--input" -> o.input = v;
          case "--input-format" -> o.inputFormat = v.toLowerCase(Locale.ROOT);
          case "--output" -> o.output = v;
          case "--format" -> o.format = v;
          case "--chunks" -> o.chunks = number(name, v);
          case "--partitions" -> o.partitions = number(name, v);
          case "--master" -> o.master = v;
          case "--base-url" -> o.spec.baseUrl(v);
          case "--model" -> o.spec.model(v);
          case "--reward" -> o.spec.reward(v);
          case "--mode" -> o.spec.mode(v);
          case "--samples" -> o.spec.samples(number(name, v));
          case "--iterations" -> o.spec.iterations(number(name, v));
          case "--temperature" -> o.spec.temperature(decimal(name, v));
          case "--top-p" -> o.spec.topP(decimal(name, v));
          case "--seed" -> o.spec.seed(number(name, v));
          case "--max-tokens-response" -> o.spec.maxTokens(number(name, v));
          case "--max-tokens-all" -> o.spec.maxContextTokens(number(name, v));
          case "--early-stop-rounds" -> o.spec.earlyStopRounds(number(name, v));
          case "--early-stop-margin" -> o.spec.earlyStopMargin(decimal(name, v));
          case "--prompt-layout" -> o.spec.promptLayout(layout(name, v));
          case "--timeout" -> o.spec.timeout(Duration.ofSeconds(number(name, v)));
          case "--max-retries" -> o.spec.maxRetries(number(name, v));
          case "--runs-per-task" -> o.spec.runsPerTask(number(name, v));
          case "--max-concurrent-per-endpoint" -> o.spec.maxConcurrentPerEndpoint(number(name, v));
          case "--id-column" -> o.spec.idColumn(v);
          case "--prompt-column" -> o.spec.promptColumn(v);
          default -> throw new ConfigurationException("unknown option " + name
              + "; see the Javadoc of dev.tpo.spark.TpoSparkJob or docs/spark.md");
        }
      }
      if (o.input == null || o.output == null) {
        throw new ConfigurationException("--input and --output are required");
      }
      if (o.inputFormat == null) {
        o.inputFormat = o.input.endsWith(".parquet") ? "parquet" : "json";
      }
      if (!List.of("json", "parquet").contains(o.inputFormat)) {
        throw new ConfigurationException("--input-format must be json or parquet, got '"
            + o.inputFormat + "'");
      }
      return o;
    }

    private static int number(String name, String v) {
      try {
        return Integer.parseInt(v.trim());
      } catch (NumberFormatException e) {
        throw new ConfigurationException(name + " must be a whole number, got '" + v + "'");
      }
    }

    private static PromptLayout layout(String name, String v) {
      try {
        return PromptLayout.of(v);
      } catch (ConfigurationException e) {
        throw new ConfigurationException(name + " must be reference or prefix-shared, got '" + v
            + "'");
      }
    }

    private static double decimal(String name, String v) {
      try {
        return Double.parseDouble(v.trim());
      } catch (NumberFormatException e) {
        throw new ConfigurationException(name + " must be a number, got '" + v + "'");
      }
    }
  }
}
