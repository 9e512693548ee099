package dev.tpo.loop;

import dev.tpo.TpoOutcome;
import dev.tpo.TpoRequest;
import dev.tpo.TpoResult;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.Futures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs many prompts with a fixed number in flight and no barrier between them: {@code concurrency}
 * workers each take the next prompt from a shared queue as soon as their previous one finishes, so
 * one slow prompt holds back only itself. Every prompt gets exactly one outcome (a result or the
 * exception its run failed with), in input order.
 *
 * <p>Stateless; thread-safe.
 */
public final class BatchRunner {
  private BatchRunner() {}

  /**
   * Runs every request, blocking until all are done.
   *
   * @param requests the requests
   * @param concurrency how many run at once, at least 1
   * @param executor runs the workers; it needs {@code concurrency} threads free for full
   *     concurrency
   * @param run runs one request (blocking)
   * @return one outcome per request, in input order
   */
  public static CompletableFuture<List<TpoOutcome>> runAll(
      List<TpoRequest> requests, int concurrency, Executor executor,
      Function<TpoRequest, TpoResult> run) {
    if (concurrency < 1) {
      throw new ConfigurationException(
          "optimizeAll concurrency must be at least 1, got " + concurrency);
    }
    for (int i = 0; i < requests.size(); i++) {
      if (requests.get(i) == null) {
        throw new ConfigurationException(
            "optimizeAll requests[" + i + "] is null; pass a TpoRequest for every prompt");
      }
    }
    List<TpoRequest> queue = List.copyOf(requests);
    TpoOutcome[] outcomes = new TpoOutcome[queue.size()];
    AtomicInteger next = new AtomicInteger();
    int workers = Math.min(concurrency, queue.size());
    List<CompletableFuture<Void>> running = new ArrayList<>(workers);
    for (int w = 0; w < workers; w++) {
      Runnable worker = () -> {
        int i;
        while ((i = next.getAndIncrement()) < queue.size()) {
          outcomes[i] = runOne(i, queue.get(i), run);
        }
      };
      try {
        running.add(CompletableFuture.runAsync(worker, executor));
      } catch (RejectedExecutionException e) {
        throw new ConfigurationException(
            "the executor rejected an optimizeAll worker (" + e.getMessage() + "); give Tpo an"
                + " executor that accepts " + concurrency + " concurrent tasks", e);
      }
    }
    return CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
        .thenApply(done -> List.copyOf(Arrays.asList(outcomes)));
  }

  private static TpoOutcome runOne(int index, TpoRequest request,
      Function<TpoRequest, TpoResult> run) {
    try {
      return TpoOutcome.success(index, request, run.apply(request));
    } catch (RuntimeException e) {
      return TpoOutcome.failure(index, request, unwrap(e));
    } catch (Error e) {
      return TpoOutcome.failure(index, request, new CompletionException(
          "the run of prompt #" + index + " failed with " + e, e));
    }
  }

  private static RuntimeException unwrap(RuntimeException e) {
    Throwable t = Futures.unwrap(e);
    return t instanceof RuntimeException ? (RuntimeException) t : e;
  }
}
