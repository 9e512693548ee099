package dev.tpo.adapter.http;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Bounds how many asynchronous operations run at once without blocking any thread: an operation
 * submitted while the limit is reached waits in a FIFO queue and starts when a running one
 * completes (normally or exceptionally).
 *
 * <p>Thread-safe; share one instance per server.
 */
public final class AsyncLimiter {
  private final int limit;
  private final Deque<Runnable> waiting = new ArrayDeque<>();
  private int running;
  private int peak;

  /**
   * A limiter.
   *
   * @param limit the most operations in flight, at least 1
   * @throws IllegalArgumentException when {@code limit < 1}
   */
  public AsyncLimiter(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    this.limit = limit;
  }

  /**
   * Runs the operation now if a slot is free, else when one frees up.
   *
   * @param operation starts the operation and returns its future; called at most once
   * @param <T> the result type
   * @return a future completed like the operation's
   */
  public <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> operation) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable start = () -> startNow(operation, result);
    boolean runNow;
    synchronized (this) {
      runNow = running < limit;
      if (runNow) {
        running++;
        peak = Math.max(peak, running);
      } else {
        waiting.add(start);
      }
    }
    if (runNow) {
      start.run();
    }
    return result;
  }

  private <T> void startNow(Supplier<CompletableFuture<T>> operation, CompletableFuture<T> result) {
    CompletableFuture<T> started;
    try {
      started = operation.get();
    } catch (RuntimeException | Error e) {
      release();
      result.completeExceptionally(e);
      return;
    }
    started.whenComplete((value, error) -> {
      release();
      if (error != null) {
        result.completeExceptionally(error);
      } else {
        result.complete(value);
      }
    });
  }

  private void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        running--;
      }
    }
    if (next != null) {
      next.run();
    }
  }

  /** @return the configured limit */
  public int limit() {
    return limit;
  }

  /** @return the most operations that were in flight at once so far */
  public synchronized int peakInFlight() {
    return peak;
  }
}
