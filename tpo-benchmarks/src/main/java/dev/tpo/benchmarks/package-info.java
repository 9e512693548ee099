/**
 * The benchmark harness: TPO runs against a simulated OpenAI-compatible server and reward endpoint
 * started as a separate process, each measure reported as a ratio to the limit the servers set
 * (critical path, throughput, CPU overhead against the bare OpenAI SDK, retained heap per run), with
 * a driver that mimics the reference implementation's structure for comparison. Run with
 * {@code java -jar tpo-benchmarks/target/tpo-benchmarks.jar}; see {@code docs/benchmarks.md}.
 */
package dev.tpo.benchmarks;
