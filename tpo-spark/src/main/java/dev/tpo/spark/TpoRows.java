package dev.tpo.spark;

import dev.tpo.PoolEntry;
import dev.tpo.StopReason;
import dev.tpo.TpoResult;
import dev.tpo.core.model.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import scala.jdk.javaapi.CollectionConverters;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The schema of a result row and the conversion of a {@link TpoResult} or a failure into one.
 * The fields are those of {@code tpo run}'s result lines, snake_case: {@code id}, {@code prompt},
 * {@code answer}, {@code score}, {@code pool} (an array of {@code text}, {@code score},
 * {@code round}), {@code usage} ({@code prompt_tokens}, {@code completion_tokens},
 * {@code requests}), {@code stop_reason} and {@code stop_detail} (null when the run completed),
 * {@code warnings}, {@code error} and {@code error_type} (null unless the run failed),
 * {@code elapsed_ms}.
 *
 * <p>Stateless; thread-safe.
 */
public final class TpoRows {
  /** One pool entry. */
  private static final StructType CANDIDATE = new StructType(new StructField[] {
      DataTypes.createStructField("text", DataTypes.StringType, false),
      DataTypes.createStructField("score", DataTypes.DoubleType, false),
      DataTypes.createStructField("round", DataTypes.IntegerType, false)});
  private static final StructType USAGE = new StructType(new StructField[] {
      DataTypes.createStructField("prompt_tokens", DataTypes.LongType, false),
      DataTypes.createStructField("completion_tokens", DataTypes.LongType, false),
      DataTypes.createStructField("requests", DataTypes.LongType, false)});

  /** The schema of a result row. */
  public static final StructType SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField("id", DataTypes.StringType, false),
      DataTypes.createStructField("prompt", DataTypes.StringType, false),
      DataTypes.createStructField("answer", DataTypes.StringType, true),
      DataTypes.createStructField("score", DataTypes.DoubleType, true),
      DataTypes.createStructField("pool", new ArrayType(CANDIDATE, false), true),
      DataTypes.createStructField("usage", USAGE, true),
      DataTypes.createStructField("stop_reason", DataTypes.StringType, true),
      DataTypes.createStructField("stop_detail", DataTypes.StringType, true),
      DataTypes.createStructField("warnings", new ArrayType(DataTypes.StringType, false), true),
      DataTypes.createStructField("error", DataTypes.StringType, true),
      DataTypes.createStructField("error_type", DataTypes.StringType, true),
      DataTypes.createStructField("elapsed_ms", DataTypes.LongType, false)});

  private TpoRows() {}

  static Row success(String id, String prompt, TpoResult r, long elapsedMs) {
    List<Row> pool = new ArrayList<>();
    for (PoolEntry e : r.pool()) {
      pool.add(RowFactory.create(e.text(), e.score(), e.round()));
    }
    TokenUsage u = r.usage();
    boolean completed = r.stopReason() == StopReason.COMPLETED;
    return RowFactory.create(id, prompt, r.answer(), r.bestScore(), seq(pool),
        RowFactory.create(u.promptTokens(), u.completionTokens(), u.requests()),
        completed ? null : r.stopReason().name(), completed ? null : r.stopDetail(),
        seq(r.warnings()), null, null, elapsedMs);
  }

  /** Spark's row encoder takes arrays as Scala sequences. */
  private static <T> scala.collection.Seq<T> seq(List<T> list) {
    return CollectionConverters.asScala(list);
  }

  static Row failure(String id, String prompt, String error, String errorType, long elapsedMs) {
    return RowFactory.create(id, prompt, null, null, null, null, null, null, null, error,
        errorType, elapsedMs);
  }
}
