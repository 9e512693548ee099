package dev.tpo.benchmarks;

import java.util.concurrent.CompletableFuture;

/**
 * Performs one whole run (one prompt) without blocking the caller: a TPO run, the same requests
 * made with the bare SDK, or the reference implementation's structure.
 *
 * <p>Implementations are thread-safe.
 */
interface RunDriver extends AutoCloseable {

  /**
   * Starts one run.
   *
   * @param prompt the prompt
   * @return completed when the run is done
   */
  CompletableFuture<?> start(String prompt);

  /** @return a short name for the report */
  String name();

  @Override
  void close();
}
