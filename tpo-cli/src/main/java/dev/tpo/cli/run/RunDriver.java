package dev.tpo.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.cli.data.Prompt;
import dev.tpo.cli.data.PromptIds;
import dev.tpo.cli.progress.ProgressReporter;
import dev.tpo.cli.store.ResultsStore;
import dev.tpo.cli.store.StoredResult;
import dev.tpo.loop.BatchRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Runs prompts with a {@link PromptRunner} through the library's many-prompt runner ({@link
 * BatchRunner}: {@code concurrency} at a time with no barrier between them, a prompt that failed
 * transiently run again after the others), and records each one as it is final: its trace first
 * (when a trace directory is set), then its line in the {@link ResultsStore}. A prompt that failed
 * every try gets an error line and the run goes on; a trace that cannot be written becomes a
 * warning on the result line; a failure to write the results file stops the run. Every text
 * written goes through the scrubber (the keys' redaction).
 *
 * <p>Not thread-safe, except {@link #stop()}: one driver runs once, from one thread. {@link
 * #stop()} may be called from another thread (a shutdown hook): prompts in flight are abandoned
 * without a line, so the next run does them again.
 */
public final class RunDriver {
  private final PromptRunner runner;
  private final ResultsStore store;
  private final Optional<Path> traceDir;
  private final int concurrency;
  private final ProgressReporter progress;
  private final Map<String, String> stamp;
  private final UnaryOperator<String> scrub;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();
  private final int promptRetries;
  private final Duration retryBackoff;
  private final CompletableFuture<?> checks;
  private volatile BatchRunner batch;
  private volatile ExecutorService pool;

  /**
   * What a run did.
   *
   * <p>Immutable value; thread-safe.
   *
   * @param done prompts that succeeded
   * @param failed prompts that got an error line
   * @param notRun prompts left undone because the run was stopped
   * @param written the lines this run wrote, in the order written
   */
  public record Outcome(int done, int failed, int notRun, List<StoredResult> written) {
    /**
     * Copies the list.
     *
     * @param done prompts that succeeded
     * @param failed prompts that got an error line
     * @param notRun prompts left undone because the run was stopped
     * @param written the lines this run wrote, in the order written
     */
    public Outcome {
      written = List.copyOf(written);
    }
  }

  /**
   * Creates a driver that runs a failed prompt again up to {@link BatchRunner#DEFAULT_PROMPT_RETRIES}
   * times, {@link BatchRunner#DEFAULT_RETRY_BACKOFF} apart.
   *
   * @param runner optimizes one prompt
   * @param store where result lines go
   * @param traceDir where one JSON trace per prompt goes, if anywhere
   * @param concurrency how many prompts run at once, at least 1
   * @param progress counts and shows progress
   * @param stamp fields added to every line and trace (mode, model)
   * @param scrub removes secrets from every text written (lines, traces, messages)
   */
  public RunDriver(PromptRunner runner, ResultsStore store, Optional<Path> traceDir,
      int concurrency, ProgressReporter progress, Map<String, String> stamp,
      UnaryOperator<String> scrub) {
    this(runner, store, traceDir, concurrency, progress, stamp, scrub,
        BatchRunner.DEFAULT_PROMPT_RETRIES, BatchRunner.DEFAULT_RETRY_BACKOFF);
  }

  /**
   * Creates a driver.
   *
   * @param runner optimizes one prompt
   * @param store where result lines go
   * @param traceDir where one JSON trace per prompt goes, if anywhere
   * @param concurrency how many prompts run at once, at least 1
   * @param progress counts and shows progress
   * @param stamp fields added to every line and trace (mode, model)
   * @param scrub removes secrets from every text written (lines, traces, messages)
   * @param promptRetries how many times a prompt that failed transiently runs again, after the
   *     other prompts ({@link BatchRunner})
   * @param retryBackoff the least wait before a prompt's first retry, doubled on each further one
   */
  public RunDriver(PromptRunner runner, ResultsStore store, Optional<Path> traceDir,
      int concurrency, ProgressReporter progress, Map<String, String> stamp,
      UnaryOperator<String> scrub, int promptRetries, Duration retryBackoff) {
    this(runner, store, traceDir, concurrency, progress, stamp, scrub, promptRetries,
        retryBackoff, CompletableFuture.completedFuture(null));
  }

  /**
   * Creates a driver whose run waits for checks still running (the servers' probes, {@link
   * RunnerFactory.Prepared#checks()}) before it writes any result, and stops as soon as they fail:
   * prompts in flight are abandoned without a line and {@link #run} throws the checks' failure.
   *
   * @param runner optimizes one prompt
   * @param store where result lines go
   * @param traceDir where one JSON trace per prompt goes, if anywhere
   * @param concurrency how many prompts run at once, at least 1
   * @param progress counts and shows progress
   * @param stamp fields added to every line and trace (mode, model)
   * @param scrub removes secrets from every text written (lines, traces, messages)
   * @param promptRetries how many times a prompt that failed transiently runs again, after the
   *     other prompts ({@link BatchRunner})
   * @param retryBackoff the least wait before a prompt's first retry, doubled on each further one
   * @param checks must complete normally before any line is written
   */
  public RunDriver(PromptRunner runner, ResultsStore store, Optional<Path> traceDir,
      int concurrency, ProgressReporter progress, Map<String, String> stamp,
      UnaryOperator<String> scrub, int promptRetries, Duration retryBackoff,
      CompletableFuture<?> checks) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
    this.runner = Objects.requireNonNull(runner, "runner");
    this.store = Objects.requireNonNull(store, "store");
    this.traceDir = Objects.requireNonNull(traceDir, "traceDir");
    this.concurrency = concurrency;
    this.progress = Objects.requireNonNull(progress, "progress");
    this.stamp = Map.copyOf(stamp);
    this.scrub = Objects.requireNonNull(scrub, "scrub");
    this.promptRetries = promptRetries;
    this.retryBackoff = Objects.requireNonNull(retryBackoff, "retryBackoff");
    this.checks = Objects.requireNonNull(checks, "checks");
  }

  /**
   * Runs every prompt and waits for all of them.
   *
   * @param prompts the prompts to run (those not done yet)
   * @return what happened
   * @throws UncheckedIOException when the results file or trace directory cannot be written
   * @throws RuntimeException the checks' failure, as is, when they failed (see the constructor)
   */
  public Outcome run(List<Prompt> prompts) {
    if (traceDir.isPresent()) {
      try {
        Files.createDirectories(traceDir.get());
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot create the trace directory " + traceDir.get() + ": " + e
                + "; choose another --trace-dir", e);
      }
    }
    List<StoredResult> written = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger done = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(
        Math.min(concurrency, Math.max(1, prompts.size())), r -> {
          Thread t = new Thread(r, "tpo-run");
          t.setDaemon(true);
          return t;
        });
    BatchRunner batch = BatchRunner.builder().concurrency(concurrency).executor(pool)
        .promptRetries(promptRetries).retryBackoff(retryBackoff).build();
    this.batch = batch;
    if (stopping.get()) {
      batch.stop();
    }
    long[] starts = new long[prompts.size()];
    BatchRunner.Listener<Prompt, Timed> listener = new BatchRunner.Listener<>() {
      @Override
      public void onAttemptStarted(int index, Prompt item, int attempt) {
        if (attempt == 1) {
          starts[index] = System.nanoTime();
          progress.promptStarted();
        } else {
          progress.retryStarted();
        }
      }

      @Override
      public void onRetryScheduled(int index, Prompt item, int attempt, Throwable failure,
          Duration wait) {
        progress.retryScheduled();
      }

      @Override
      public void onFinished(BatchRunner.Outcome<Prompt, Timed> o) {
        record(o, starts[o.index()], written, done, failed);
      }
    };
    this.pool = pool;
    checks.whenComplete((ok, e) -> {
      if (e != null) {
        failChecks(e);
      }
    });
    progress.start();
    try {
      CompletableFuture<?> all = batch.<Prompt, Timed>forEach(prompts, p -> {
        long t0 = System.nanoTime();
        PromptOutcome out = runner.run(p);
        return new Timed(out, (System.nanoTime() - t0) / 1_000_000);
      }, listener);
      // Wait for every prompt; once stopped, prompts still in flight are abandoned (their
      // threads are interrupted and they get no line), so stop() is never held up by them.
      while (true) {
        try {
          all.get(200, TimeUnit.MILLISECONDS);
          break;
        } catch (TimeoutException e) {
          if (stopping.get() && pool.awaitTermination(1, TimeUnit.SECONDS)) {
            break;
          }
          if (stopping.get()) {
            break;
          }
        } catch (ExecutionException e) {
          if (fatal.get() == null) {
            throw new java.util.concurrent.CompletionException(e.getCause());
          }
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
    } finally {
      pool.shutdownNow();
      progress.close();
    }
    if (fatal.get() == null && !stopping.get()) {
      checksPassed(); // every prompt waited for them already, unless none was recorded
    }
    if (fatal.get() != null) {
      throw fatal.get();
    }
    int notRun = prompts.size() - done.get() - failed.get();
    return new Outcome(done.get(), failed.get(), notRun, written);
  }

  /** Stops the run: no new prompt starts, prompts in flight are abandoned without a line. */
  public void stop() {
    stopping.set(true);
    BatchRunner b = batch;
    if (b != null) {
      b.stop();
    }
    ExecutorService p = pool;
    if (p != null) {
      p.shutdownNow();
    }
  }

  /**
   * Waits for the checks; when they failed, records their failure as the run's and stops it.
   *
   * @return whether they passed
   */
  private boolean checksPassed() {
    try {
      checks.join();
      return true;
    } catch (java.util.concurrent.CompletionException
        | java.util.concurrent.CancellationException e) {
      failChecks(e);
      return false;
    }
  }

  private void failChecks(Throwable e) {
    Throwable t = unwrap(e);
    fatal.compareAndSet(null, t instanceof RuntimeException r ? r
        : new java.util.concurrent.CompletionException(t));
    stop();
  }

  /** A prompt's outcome with the time its last try took. */
  private record Timed(PromptOutcome outcome, long ms) {}

  private void record(BatchRunner.Outcome<Prompt, Timed> o, long startNanos,
      List<StoredResult> written, AtomicInteger done, AtomicInteger failed) {
    Prompt p = o.item();
    if (stopping.get() || fatal.get() != null || o.notRun() || !checksPassed()) {
      return;
    }
    long ms = (System.nanoTime() - startNanos) / 1_000_000;
    ObjectNode line;
    boolean ok = o.succeeded();
    if (ok) {
      PromptOutcome outcome = o.result().get().outcome();
      line = ResultLines.success(p, outcome, ms, stamp);
      if (traceDir.isPresent()) {
        Optional<String> problem = writeTrace(traceDir.get(), p,
            ResultLines.trace(p, outcome, ms, stamp));
        problem.ifPresent(w -> {
          ArrayNode warnings = line.has("warnings") && line.get("warnings").isArray()
              ? (ArrayNode) line.get("warnings") : line.putArray("warnings");
          warnings.add(w);
        });
      }
    } else {
      Throwable e = o.error().get();
      line = ResultLines.failure(p, describe(e), unwrap(e).getClass().getName(), ms, stamp);
      if (o.attempts() > 1) {
        line.put("attempts", o.attempts());
      }
    }
    scrubTree(line);
    try {
      store.append(line);
    } catch (RuntimeException e) {
      fatal.compareAndSet(null, e);
      stop();
      progress.promptFinished(false);
      return;
    }
    written.add(ResultsStore.summarize(line));
    (ok ? done : failed).incrementAndGet();
    progress.promptFinished(ok);
  }

  /** Applies the scrubber to every text of a JSON tree, in place. */
  private void scrubTree(JsonNode node) {
    if (node instanceof ObjectNode obj) {
      List<String> names = new ArrayList<>();
      obj.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode v = obj.get(name);
        if (v.isTextual()) {
          obj.put(name, scrub.apply(v.asText()));
        } else {
          scrubTree(v);
        }
      }
    } else if (node instanceof ArrayNode arr) {
      for (int i = 0; i < arr.size(); i++) {
        JsonNode v = arr.get(i);
        if (v.isTextual()) {
          arr.set(i, scrub.apply(v.asText()));
        } else {
          scrubTree(v);
        }
      }
    }
  }

  /**
   * Writes a trace through a temporary file moved into place.
   *
   * @return a warning for the result line when the trace could not be written (a full disk, a
   *     removed directory): the result is kept, never lost for its trace
   */
  private Optional<String> writeTrace(Path dir, Prompt p, ObjectNode trace) {
    Path target = dir.resolve(PromptIds.fileName(p.id()) + ".json");
    Path tmp = dir.resolve(PromptIds.fileName(p.id()) + ".json.tmp");
    try {
      scrubTree(trace);
      String text = ResultLines.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(trace);
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException | RuntimeException ignored) {
        // the warning below says what went wrong
      }
      return Optional.of("the trace " + target + " could not be written (" + e
          + "); the result is kept without it");
    }
  }

  /**
   * A one-line description of a failure: its message, and its cause's when that adds something.
   *
   * @param e the failure
   * @return the text
   */
  static String describe(Throwable e) {
    Throwable t = unwrap(e);
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    Throwable cause = t.getCause();
    if (cause != null && cause.getMessage() != null && !msg.contains(cause.getMessage())) {
      msg = msg + " (cause: " + cause.getMessage() + ")";
    }
    return msg;
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
