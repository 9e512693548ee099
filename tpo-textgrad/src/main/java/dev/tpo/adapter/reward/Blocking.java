package dev.tpo.adapter.reward;

import dev.tpo.core.error.RewardScoringException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Joins scorer futures, rethrowing the real failure. Stateless; thread-safe. */
final class Blocking {
  private Blocking() {}

  /**
   * Waits for the future and returns its value.
   *
   * @param future the future
   * @param <T> the value type
   * @return the value
   * @throws RuntimeException the future's failure itself when it is unchecked
   */
  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RewardScoringException("interrupted while waiting for reward scores", e);
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    Throwable cur = t;
    while (cur instanceof CompletionException && cur.getCause() != null) {
      cur = cur.getCause();
    }
    if (cur instanceof RuntimeException) {
      return (RuntimeException) cur;
    }
    if (cur instanceof Error) {
      throw (Error) cur;
    }
    return new CompletionException(cur);
  }

  /**
   * Concatenates the lists of all futures, in order, once all completed.
   *
   * @param parts the futures
   * @return a future of the concatenation, failed with the first failure's cause
   */
  static CompletableFuture<List<Double>> concat(List<CompletableFuture<List<Double>>> parts) {
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
        .handle((ignored, failure) -> {
          if (failure != null) {
            throw new CompletionException(unwrap(failure));
          }
          List<Double> all = new ArrayList<>();
          parts.forEach(p -> all.addAll(p.join()));
          return Collections.unmodifiableList(all);
        });
  }

  static Throwable unwrap(Throwable t) {
    Throwable cur = t;
    while ((cur instanceof CompletionException || cur instanceof ExecutionException)
        && cur.getCause() != null) {
      cur = cur.getCause();
    }
    return cur;
  }
}
