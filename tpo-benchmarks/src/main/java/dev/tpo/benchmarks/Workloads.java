package dev.tpo.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Prompts and the open-loop runner that keeps a fixed number of runs in flight. Stateless. */
final class Workloads {
  private static final String[] TOPICS = {
    "photosynthesis", "binary search", "the French revolution", "compound interest",
    "TCP congestion control", "sourdough baking", "plate tectonics", "garbage collection",
    "the immune system", "public-key cryptography", "supply and demand", "black holes"
  };

  private Workloads() {}

  /**
   * Distinct prompts of realistic length.
   *
   * @param count how many
   * @return the prompts
   */
  static List<String> prompts(int count) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add("Question " + i + ": explain " + TOPICS[i % TOPICS.length]
          + " to a curious student in a few clear paragraphs, with one concrete example and a"
          + " short summary at the end.");
    }
    return out;
  }

  /**
   * Runs every prompt with at most {@code concurrency} runs in flight, starting the next run as
   * soon as one finishes (no chunks, no barriers).
   *
   * @param driver the driver
   * @param prompts the prompts
   * @param concurrency the most runs in flight
   * @return the wall time in nanoseconds
   */
  static long runAll(RunDriver driver, List<String> prompts, int concurrency) {
    Semaphore slots = new Semaphore(concurrency);
    List<CompletableFuture<?>> all = new ArrayList<>(prompts.size());
    long t0 = System.nanoTime();
    try {
      for (String p : prompts) {
        slots.acquire();
        CompletableFuture<?> f;
        try {
          f = driver.start(p);
        } catch (RuntimeException e) {
          slots.release();
          throw e;
        }
        all.add(f.whenComplete((r, e) -> slots.release()));
      }
      CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
          .get(30, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(driver.name() + " failed: " + e.getCause(), e);
    }
    return System.nanoTime() - t0;
  }

  /** @return the median of the values */
  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
