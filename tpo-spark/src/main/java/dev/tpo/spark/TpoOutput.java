package dev.tpo.spark;

import dev.tpo.core.error.ConfigurationException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how {@link TpoSpark#write} writes the results: a directory, Parquet (default) or JSON
 * lines, whether to resume (skip the ids already in the directory), and in how many chunks the
 * prompts are written (each chunk is one Spark job committed on its own, so a killed job keeps
 * every chunk it finished).
 *
 * <p>Immutable value; thread-safe.
 *
 * @param path the output directory (any Hadoop file system: local, HDFS, S3A, GCS, ...)
 * @param format the file format
 * @param resume true to skip the ids already written there; false to refuse a directory that
 *     already holds results
 * @param chunks how many jobs the prompts are written in, 1 to 10,000
 * @param partitions tasks per chunk; 0 for the cluster's default parallelism
 */
public record TpoOutput(String path, Format format, boolean resume, int chunks, int partitions) {

  /** The output's file format. Thread-safe. */
  public enum Format {
    /** Apache Parquet, the default. */
    PARQUET,
    /** JSON lines, one result per line. */
    JSON;

    /** @return Spark's name of the format */
    public String sparkName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a format name.
     *
     * @param name {@code parquet} or {@code json} (any case; {@code jsonl} too)
     * @return the format
     * @throws ConfigurationException for another name
     */
    public static Format of(String name) {
      String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
      switch (n) {
        case "parquet":
          return PARQUET;
        case "json":
        case "jsonl":
          return JSON;
        default:
          throw new ConfigurationException("output format must be parquet or json, got '"
              + name + "'");
      }
    }
  }

  /**
   * Validates the fields.
   *
   * @param path the output directory
   * @param format the file format
   * @param resume whether to skip ids already written
   * @param chunks jobs to write in
   * @param partitions tasks per chunk, 0 for the default
   */
  public TpoOutput {
    Objects.requireNonNull(format, "format");
    if (path == null || path.isBlank()) {
      throw new ConfigurationException("TpoOutput.path is empty: give the output directory");
    }
    if (chunks < 1 || chunks > 10_000) {
      throw new ConfigurationException("TpoOutput.chunks must be between 1 and 10000, got "
          + chunks);
    }
    if (partitions < 0) {
      throw new ConfigurationException("TpoOutput.partitions must be 0 (default) or more, got "
          + partitions);
    }
  }

  /**
   * Parquet, no resume, one chunk, default parallelism.
   *
   * @param path the output directory
   * @return the output
   */
  public static TpoOutput parquet(String path) {
    return new TpoOutput(path, Format.PARQUET, false, 1, 0);
  }

  /**
   * A copy with resume on or off.
   *
   * @param on true to skip the ids already written
   * @return the copy
   */
  public TpoOutput withResume(boolean on) {
    return new TpoOutput(path, format, on, chunks, partitions);
  }

  /**
   * A copy with another format.
   *
   * @param f the format
   * @return the copy
   */
  public TpoOutput withFormat(Format f) {
    return new TpoOutput(path, f, resume, chunks, partitions);
  }

  /**
   * A copy with another number of chunks.
   *
   * @param n 1 to 10,000
   * @return the copy
   */
  public TpoOutput withChunks(int n) {
    return new TpoOutput(path, format, resume, n, partitions);
  }

  /**
   * A copy with another number of tasks per chunk.
   *
   * @param n 0 for the default parallelism
   * @return the copy
   */
  public TpoOutput withPartitions(int n) {
    return new TpoOutput(path, format, resume, chunks, n);
  }
}
