/**
 * TPO over datasets on Apache Spark: {@link dev.tpo.spark.TpoSpark#optimize} turns a dataset of
 * prompts into a dataset of results (the fields of {@code tpo run}'s result lines), with one
 * {@link dev.tpo.Tpo} per executor JVM built from a serializable {@link dev.tpo.spark.TpoJobSpec}
 * and many runs in flight per partition; {@link dev.tpo.spark.TpoSpark#write} writes them through
 * Spark's commit protocol (Parquet or JSON lines), exactly once per id, resumably; {@link
 * dev.tpo.spark.TpoSparkJob} is the {@code spark-submit} entry point. See {@code docs/spark.md}.
 */
package dev.tpo.spark;
