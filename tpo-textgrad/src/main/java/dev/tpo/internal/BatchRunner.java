package dev.tpo.internal;

import dev.tpo.core.error.ConfigurationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * Runs many prompts with a fixed number in flight and no barrier between them: {@code concurrency}
 * workers each take the next prompt from a shared queue as soon as their previous one finishes, so
 * one slow prompt holds back only itself. Every item gets exactly one outcome, in input order; the
 * work function turns a failure into an outcome itself. Generic: it knows nothing of TPO.
 *
 * <p>Stateless; thread-safe.
 */
public final class BatchRunner {
  private BatchRunner() {}

  /**
   * Runs every item, {@code concurrency} at a time, until the queue drains.
   *
   * @param items the items, not null
   * @param concurrency how many run at once, at least 1 (checked by the caller)
   * @param executor runs the workers; it needs {@code concurrency} threads free for full
   *     concurrency
   * @param work runs one item (blocking) given its index; must not throw
   * @param <T> the item type
   * @param <R> the outcome type
   * @return a future completed with one outcome per item, in input order
   * @throws ConfigurationException when the executor rejects a worker
   */
  public static <T, R> CompletableFuture<List<R>> runAll(
      List<T> items, int concurrency, Executor executor, BiFunction<Integer, T, R> work) {
    List<T> queue = List.copyOf(items);
    Object[] outcomes = new Object[queue.size()];
    AtomicInteger next = new AtomicInteger();
    int workers = Math.min(concurrency, queue.size());
    List<CompletableFuture<Void>> running = new ArrayList<>(workers);
    for (int w = 0; w < workers; w++) {
      Runnable worker = () -> {
        int i;
        while ((i = next.getAndIncrement()) < queue.size()) {
          outcomes[i] = work.apply(i, queue.get(i));
        }
      };
      try {
        running.add(CompletableFuture.runAsync(worker, executor));
      } catch (RejectedExecutionException e) {
        throw new ConfigurationException(
            "the executor rejected a worker (" + e.getMessage() + "); give Tpo an executor that"
                + " accepts " + concurrency + " concurrent tasks", e);
      }
    }
    return CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
        .thenApply(done -> {
          List<R> list = new ArrayList<>(outcomes.length);
          for (Object o : outcomes) {
            @SuppressWarnings("unchecked")
            R r = (R) o;
            list.add(r);
          }
          return List.copyOf(list);
        });
  }
}
