package dev.tpo.spark;

/**
 * Test-only: lets a test fail a task in the middle of its partition (in local mode the tasks run
 * in the test's JVM). Never set in production code.
 *
 * <p>Implementations must be thread-safe: tasks call it concurrently.
 */
@FunctionalInterface
interface FaultHook {
  /**
   * Called before each row a task emits.
   *
   * @param partition the task's partition
   * @param attempt the task's attempt number, 0 for the first
   * @param emitted rows this attempt emitted so far
   */
  void beforeRow(int partition, int attempt, int emitted);
}
