package dev.tpo.loop;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.error.RewardScoringException;
import dev.tpo.core.error.TpoException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one many-prompt runner of the project, behind {@link dev.tpo.Tpo#optimizeAll} and {@code tpo
 * run}: {@code concurrency} workers each take the next item as soon as their previous one
 * finishes (no barrier: one slow item holds back only itself), and an item whose run fails with a
 * transient failure is run again, up to {@link Builder#promptRetries(int)} times, <em>after</em>
 * the items not tried yet and not before a backoff ({@link Builder#retryBackoff(Duration)},
 * doubled on each try), so that a burst of faults has passed when it comes back. Every item gets
 * exactly one final {@link Outcome}: its result, or the failure of its last try.
 *
 * <p>Which failures are tried again is {@link Builder#retryIf(Predicate)}; by default {@link
 * #isTransient(Throwable)}: a {@link TpoException} whose {@code isRetryable()} is true
 * (connection failures, timeouts, cut-off answers, HTTP 429 and 5xx that outlasted the HTTP layer's own retries), a {@link
 * MalformedResponseException} (an unreadable answer, which a new run asks for again) and a {@link
 * RewardScoringException} about a reward server's answer (NaN, missing scores). Configuration,
 * authentication and bad-request failures, a scorer's own bug (a {@code RewardScoringException}
 * caused by a non-library exception) and {@link Error}s are final at once.
 *
 * <p>A {@link Listener} sees each try start, each retry scheduled and each final outcome as it
 * happens (the {@code tpo} command writes a result line from it). {@link #stop()} ends the run
 * early: no new try starts, tries in flight run to their end and are reported as {@link
 * Outcome#notRun()}.
 *
 * <p>Thread-safe: one runner may run several batches, one after another or at once; {@link
 * #stop()} may be called from any thread (a shutdown hook) and stops every batch.
 */
public final class BatchRunner {
  /** The default number of retries of an item: 2 (so 3 tries in all). */
  public static final int DEFAULT_PROMPT_RETRIES = 2;

  /** The default wait before an item's first retry: 2 s, doubled on each further try. */
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(2);

  private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

  private final int concurrency;
  private final Executor executor;
  private final int promptRetries;
  private final Duration retryBackoff;
  private final Predicate<Throwable> retryIf;
  private volatile boolean stopped;
  private final List<Batch<?, ?>> running = new ArrayList<>();

  private BatchRunner(Builder b) {
    this.concurrency = b.concurrency;
    this.executor = Objects.requireNonNull(b.executor, "executor: set BatchRunner.builder()"
        + ".executor(...)");
    this.promptRetries = b.promptRetries;
    this.retryBackoff = b.retryBackoff;
    this.retryIf = b.retryIf;
  }

  /**
   * A new builder: concurrency 1, {@value #DEFAULT_PROMPT_RETRIES} retries, a backoff of {@link
   * #DEFAULT_RETRY_BACKOFF}, retrying {@link #isTransient(Throwable)} failures.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Receives the events of a batch. Called from the workers' threads, concurrently; must be
   * thread-safe. An exception thrown by a callback stops the whole batch and fails its future.
   *
   * @param <I> the item type
   * @param <O> the result type
   */
  public interface Listener<I, O> {
    /**
     * A try of an item starts.
     *
     * @param index the item's index
     * @param item the item
     * @param attempt the try, from 1
     */
    default void onAttemptStarted(int index, I item, int attempt) {}

    /**
     * A try failed and the item will run again after the other items and the wait.
     *
     * @param index the item's index
     * @param item the item
     * @param attempt the try that failed, from 1
     * @param failure what it failed with
     * @param wait the least time before the next try
     */
    default void onRetryScheduled(int index, I item, int attempt, Throwable failure,
        Duration wait) {}

    /**
     * An item is final: it succeeded, failed on its last try, or the batch was stopped while it
     * ran.
     *
     * @param outcome the outcome
     */
    default void onFinished(Outcome<I, O> outcome) {}
  }

  /**
   * The final outcome of one item.
   *
   * <p>Immutable value; thread-safe if the item and result are.
   *
   * @param <I> the item type
   * @param <O> the result type
   * @param index the item's index in the input
   * @param item the item
   * @param result the result, when it succeeded
   * @param error the failure of its last try, when it failed
   * @param attempts how many tries it took
   * @param notRun whether the batch was stopped before the item finished (no result, no error)
   */
  public record Outcome<I, O>(int index, I item, Optional<O> result, Optional<Throwable> error,
      int attempts, boolean notRun) {
    /**
     * Validates the fields.
     *
     * @param index the item's index in the input
     * @param item the item
     * @param result the result, when it succeeded
     * @param error the failure of its last try, when it failed
     * @param attempts how many tries it took
     * @param notRun whether the batch was stopped before the item finished
     */
    public Outcome {
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(error, "error");
    }

    /** @return whether the item has a result */
    public boolean succeeded() {
      return result.isPresent();
    }
  }

  /**
   * Runs {@code task} on every item and completes when every item is final.
   *
   * @param <I> the item type
   * @param <O> the result type
   * @param items the items; none may be null
   * @param task runs one item (blocking); an exception fails that try
   * @param listener the events, may be null
   * @return one outcome per item, in input order
   * @throws ConfigurationException when an item is null or the executor rejects a worker
   */
  public <I, O> CompletableFuture<List<Outcome<I, O>>> runAll(List<I> items,
      Function<? super I, ? extends O> task, Listener<I, O> listener) {
    Batch<I, O> batch = new Batch<>(checked(items), task,
        listener == null ? new Listener<>() {} : listener, true);
    return start(batch).thenApply(done -> batch.outcomes());
  }

  /**
   * Runs {@code task} on every item as {@link #runAll(List, Function, Listener)} does, but keeps
   * no outcome: each reaches the listener's {@link Listener#onFinished(Outcome)} and is then
   * dropped, so a batch of any size holds only the results of the items in flight. For callers
   * that write each result as it comes (the {@code tpo run} command).
   *
   * @param <I> the item type
   * @param <O> the result type
   * @param items the items; none may be null
   * @param task runs one item (blocking); an exception fails that try
   * @param listener the events, where the outcomes go
   * @return completes when every item is final
   * @throws ConfigurationException when an item is null or the executor rejects a worker
   */
  public <I, O> CompletableFuture<Void> forEach(List<I> items,
      Function<? super I, ? extends O> task, Listener<I, O> listener) {
    return start(new Batch<>(checked(items), task, Objects.requireNonNull(listener, "listener"),
        false));
  }

  private static <I> List<I> checked(List<I> items) {
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) == null) {
        throw new ConfigurationException("item [" + i + "] of the batch is null; give every item");
      }
    }
    return List.copyOf(items);
  }

  private <I, O> CompletableFuture<Void> start(Batch<I, O> batch) {
    synchronized (running) {
      running.add(batch);
    }
    if (stopped) {
      batch.stop();
    }
    int workers = Math.min(concurrency, batch.items.size());
    List<CompletableFuture<Void>> all = new ArrayList<>(workers);
    for (int w = 0; w < workers; w++) {
      try {
        all.add(CompletableFuture.runAsync(batch::work, executor));
      } catch (RejectedExecutionException e) {
        batch.stop();
        throw new ConfigurationException(
            "the executor rejected a batch worker (" + e.getMessage() + "); give an executor that"
                + " accepts " + concurrency + " concurrent tasks", e);
      }
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .whenComplete((v, e) -> {
          synchronized (running) {
            running.remove(batch);
          }
        });
  }

  /**
   * Stops every batch of this runner: no new try starts; tries in flight end on their own and
   * their items are reported as not run. Idempotent.
   */
  public void stop() {
    stopped = true;
    synchronized (running) {
      running.forEach(Batch::stop);
    }
  }

  /**
   * Whether a failure is worth running the item again (the default of {@link
   * Builder#retryIf(Predicate)}); see the class comment.
   *
   * @param failure the failure, possibly wrapped in {@link CompletionException}
   * @return true for a transient failure
   */
  public static boolean isTransient(Throwable failure) {
    Throwable t = unwrap(failure);
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if ((c instanceof TpoException te && te.isRetryable())
          || c instanceof MalformedResponseException) {
        return true;
      }
    }
    return t instanceof RewardScoringException
        && (t.getCause() == null || t.getCause() instanceof TpoException);
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** One call of {@link #runAll(List, Function, Listener)}: its queues and outcomes. */
  private final class Batch<I, O> {
    private final List<I> items;
    private final Function<? super I, ? extends O> task;
    private final Listener<I, O> listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Integer> fresh = new ArrayDeque<>();
    private final PriorityQueue<Retry> retries = new PriorityQueue<>();
    private final int[] attempts;
    /** One slot per item when the outcomes are kept ({@code runAll}); null for {@code forEach}. */
    private final Object[] outcomes;
    private int unfinished;
    private boolean halted;

    Batch(List<I> items, Function<? super I, ? extends O> task, Listener<I, O> listener,
        boolean keepOutcomes) {
      this.items = items;
      this.task = task;
      this.listener = listener;
      this.attempts = new int[items.size()];
      this.outcomes = keepOutcomes ? new Object[items.size()] : null;
      for (int i = 0; i < items.size(); i++) {
        fresh.add(i);
      }
      this.unfinished = items.size();
    }

    void stop() {
      lock.lock();
      try {
        halted = true;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @SuppressWarnings("unchecked")
    List<Outcome<I, O>> outcomes() {
      List<Outcome<I, O>> out = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        Outcome<I, O> o = (Outcome<I, O>) outcomes[i];
        out.add(o != null ? o : new Outcome<>(i, items.get(i), Optional.empty(), Optional.empty(),
            attempts[i], true));
      }
      return out;
    }

    void work() {
      try {
        workUntilDone();
      } catch (RuntimeException | Error e) {
        stop(); // a listener failed: the whole batch ends, and its future fails
        throw e;
      }
    }

    private void workUntilDone() {
      Integer index;
      while ((index = next()) != null) {
        int i = index;
        int attempt = ++attempts[i];
        listener.onAttemptStarted(i, items.get(i), attempt);
        O result = null;
        Throwable failure = null;
        try {
          result = task.apply(items.get(i));
        } catch (RuntimeException | Error e) {
          failure = unwrap(e);
        }
        if (failure == null) {
          finish(new Outcome<>(i, items.get(i), Optional.of(result), Optional.empty(), attempt,
              false));
        } else if (attempt <= promptRetries && !(failure instanceof Error)
            && retryIf.test(failure) && !isHalted()) {
          Duration wait = retryBackoff.multipliedBy(1L << Math.min(attempt - 1, 16));
          wait = wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
          listener.onRetryScheduled(i, items.get(i), attempt, failure, wait);
          lock.lock();
          try {
            retries.add(new Retry(i, System.nanoTime() + wait.toNanos()));
            changed.signalAll();
          } finally {
            lock.unlock();
          }
        } else if (isHalted()) {
          markFinished();
        } else {
          finish(new Outcome<>(i, items.get(i), Optional.empty(), Optional.of(failure), attempt,
              false));
        }
      }
    }

    private boolean isHalted() {
      lock.lock();
      try {
        return halted;
      } finally {
        lock.unlock();
      }
    }

    private void finish(Outcome<I, O> outcome) {
      if (isHalted()) {
        markFinished();
        return;
      }
      if (outcomes != null) {
        outcomes[outcome.index()] = outcome;
      }
      try {
        listener.onFinished(outcome);
      } finally {
        markFinished();
      }
    }

    private void markFinished() {
      lock.lock();
      try {
        unfinished--;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /** The next item to try: a fresh one first, else a retry whose wait is over; null at the end. */
    private Integer next() {
      lock.lock();
      try {
        while (true) {
          if (halted) {
            return null;
          }
          if (!fresh.isEmpty()) {
            return fresh.poll();
          }
          if (unfinished == 0) {
            return null;
          }
          Retry head = retries.peek();
          long now = System.nanoTime();
          if (head != null && head.due() - now <= 0) {
            retries.poll();
            return head.index();
          }
          if (head == null) {
            changed.await();
          } else {
            changed.awaitNanos(head.due() - now);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        halted = true;
        changed.signalAll();
        return null;
      } finally {
        lock.unlock();
      }
    }
  }

  /** An item waiting for its next try. */
  private record Retry(int index, long due) implements Comparable<Retry> {
    @Override
    public int compareTo(Retry o) {
      return Long.compare(due, o.due);
    }
  }

  /**
   * Builds a {@link BatchRunner}.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private int concurrency = 1;
    private Executor executor;
    private int promptRetries = DEFAULT_PROMPT_RETRIES;
    private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
    private Predicate<Throwable> retryIf = BatchRunner::isTransient;

    private Builder() {}

    /**
     * How many items run at once.
     *
     * @param concurrency at least 1
     * @return this builder
     * @throws ConfigurationException when below 1
     */
    public Builder concurrency(int concurrency) {
      if (concurrency < 1) {
        throw new ConfigurationException("concurrency must be at least 1, got " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    /**
     * Runs the workers; it needs {@code concurrency} threads free for full concurrency (the
     * workers block while their item runs, and wait for due retries).
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * How many times an item whose run failed transiently is run again.
     *
     * @param retries 0 to 100
     * @return this builder
     * @throws ConfigurationException when out of range
     */
    public Builder promptRetries(int retries) {
      if (retries < 0 || retries > 100) {
        throw new ConfigurationException(
            "prompt retries must be between 0 and 100, got " + retries);
      }
      this.promptRetries = retries;
      return this;
    }

    /**
     * The least wait before an item's first retry; doubled on each further try, at most a
     * minute.
     *
     * @param backoff zero or more
     * @return this builder
     * @throws ConfigurationException when negative
     */
    public Builder retryBackoff(Duration backoff) {
      if (backoff == null || backoff.isNegative()) {
        throw new ConfigurationException(
            "the prompt retry backoff must be zero or more, got " + backoff);
      }
      this.retryBackoff = backoff;
      return this;
    }

    /**
     * Which failures are worth another try (default {@link BatchRunner#isTransient}). {@link
     * Error}s are never retried.
     *
     * @param retryIf the test
     * @return this builder
     */
    public Builder retryIf(Predicate<Throwable> retryIf) {
      this.retryIf = Objects.requireNonNull(retryIf, "retryIf");
      return this;
    }

    /**
     * Builds the runner.
     *
     * @return the runner
     * @throws NullPointerException when no executor was set
     */
    public BatchRunner build() {
      return new BatchRunner(this);
    }
  }
}
