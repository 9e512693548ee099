package dev.tpo.adapter.balance;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * What ties the requests of one TPO run together, so that a balancer keeps them on one endpoint
 * (a server's prefix cache only helps on the replica that saw the run's earlier prompts).
 *
 * <p>A run issues every model request from the thread it runs on ({@code dev.tpo.TpoLoop}),
 * so by default the key is the current thread: all requests of a run, and of the runs one worker
 * thread carries one after another, go to the same healthy endpoint. Code that knows the run's id
 * can name it explicitly with {@link #call(Object, Supplier)}; {@code tpo run} does so with the
 * prompt's id. (When requests carry their run's tags, the balancer can read the key from them.)
 *
 * <p>Thread-safe: the key is held per thread.
 */
public final class RunAffinity {
  private static final ThreadLocal<Object> KEY = new ThreadLocal<>();

  private RunAffinity() {}

  /**
   * Runs the action with the given run key on the current thread, then restores the previous one.
   *
   * @param key what identifies the run (for example its id)
   * @param action the run
   * @param <T> the result type
   * @return what the action returned
   */
  public static <T> T call(Object key, Supplier<T> action) {
    Objects.requireNonNull(key, "key");
    Object previous = KEY.get();
    KEY.set(key);
    try {
      return action.get();
    } finally {
      if (previous == null) {
        KEY.remove();
      } else {
        KEY.set(previous);
      }
    }
  }

  /**
   * The key of the run on the current thread: the one set by {@link #call}, else the thread.
   *
   * @return the key, never null
   */
  public static Object current() {
    Object key = KEY.get();
    return key != null ? key : Thread.currentThread();
  }
}
