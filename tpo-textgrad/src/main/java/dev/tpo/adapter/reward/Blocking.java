package dev.tpo.adapter.reward;

import dev.tpo.core.error.Futures;
import dev.tpo.core.error.RewardScoringException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;

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
    return Futures.join(future,
        e -> new RewardScoringException("interrupted while waiting for reward scores", e));
  }

  /**
   * Scores the items in batches of at most {@code batchSize}, all at once, and concatenates the
   * scores in item order.
   *
   * @param items the items
   * @param batchSize the most items per batch
   * @param batch scores one batch, given the batch and the index of its first item
   * @return a future of all scores, failed with the first failure's cause
   */
  static CompletableFuture<List<Double>> inBatches(List<String> items, int batchSize,
      BiFunction<List<String>, Integer, CompletableFuture<List<Double>>> batch) {
    List<CompletableFuture<List<Double>>> parts = new ArrayList<>();
    for (int start = 0; start < items.size(); start += batchSize) {
      parts.add(batch.apply(items.subList(start, Math.min(items.size(), start + batchSize)),
          start));
    }
    return concat(parts);
  }

  /**
   * Concatenates the lists of all futures, in order, once all completed.
   *
   * @param parts the futures
   * @return a future of the concatenation, failed with the first failure's cause
   */
  static CompletableFuture<List<Double>> concat(List<CompletableFuture<List<Double>>> parts) {
    return all(parts).thenApply(lists -> {
      List<Double> flat = new ArrayList<>();
      lists.forEach(flat::addAll);
      return Collections.unmodifiableList(flat);
    });
  }

  /**
   * The results of all futures, in order, once all completed.
   *
   * @param parts the futures
   * @param <T> the result type
   * @return a future of the results, failed with the first failure's cause (unwrapped)
   */
  static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> parts) {
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
        .handle((ignored, failure) -> {
          if (failure != null) {
            throw new CompletionException(Futures.unwrap(failure));
          }
          List<T> results = new ArrayList<>(parts.size());
          parts.forEach(p -> results.add(p.join()));
          return Collections.unmodifiableList(results);
        });
  }
}
