package dev.tpo.adapter.openai;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Waits between retries of the OpenAI SDK. The SDK decides how long (the server's
 * {@code Retry-After}/{@code Retry-After-Ms}, else exponential backoff from 0.5 s capped at 8 s);
 * this only performs the wait, so tests can record the delays and skip them.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface RetrySleeper {

  /**
   * Completes the future after the delay.
   *
   * @param delay how long to wait, never negative
   * @return a future completed when the wait is over
   */
  CompletableFuture<Void> sleepAsync(Duration delay);

  /**
   * Waits with a timer, without holding a thread while waiting.
   *
   * @return the real-time sleeper
   */
  static RetrySleeper system() {
    return delay -> CompletableFuture.runAsync(
        () -> { },
        CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS));
  }
}
