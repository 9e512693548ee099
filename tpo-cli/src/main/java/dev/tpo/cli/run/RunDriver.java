package dev.tpo.cli.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.cli.data.Prompt;
import dev.tpo.cli.data.PromptIds;
import dev.tpo.cli.progress.ProgressReporter;
import dev.tpo.cli.store.ResultsStore;
import dev.tpo.cli.store.StoredResult;
import dev.tpo.core.error.Futures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Runs prompts with a {@link PromptRunner}, {@code concurrency} at a time with no barrier between
 * them (a slow prompt never holds others back), and records each one as it finishes: its trace
 * first (when a trace directory is set), then its line in the {@link ResultsStore}. A prompt that
 * fails gets an error line and the run goes on; a failure to write the results file stops the run.
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
   * Creates a driver.
   *
   * @param runner optimizes one prompt
   * @param store where result lines go
   * @param traceDir where one JSON trace per prompt goes, if anywhere
   * @param concurrency how many prompts run at once, at least 1
   * @param progress counts and shows progress
   * @param stamp fields added to every line and trace (mode, model)
   * @param scrub removes secrets from error messages and traces
   */
  public RunDriver(PromptRunner runner, ResultsStore store, Optional<Path> traceDir,
      int concurrency, ProgressReporter progress, Map<String, String> stamp,
      UnaryOperator<String> scrub) {
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
  }

  /**
   * Runs every prompt and waits for all of them.
   *
   * @param prompts the prompts to run (those not done yet)
   * @return what happened
   * @throws UncheckedIOException when the results file or trace directory cannot be written
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
    pool = Executors.newFixedThreadPool(Math.min(concurrency, Math.max(1, prompts.size())), r -> {
      Thread t = new Thread(r, "tpo-run");
      t.setDaemon(true);
      return t;
    });
    progress.start();
    try {
      for (Prompt p : prompts) {
        if (stopping.get()) {
          break;
        }
        try {
          pool.execute(() -> runOne(p, written, done, failed));
        } catch (RejectedExecutionException e) {
          break; // stop() shut the pool down while prompts were still being queued
        }
      }
      pool.shutdown();
      while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
        if (fatal.get() != null) {
          pool.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
    } finally {
      progress.close();
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
    ExecutorService p = pool;
    if (p != null) {
      p.shutdownNow();
    }
  }

  private void runOne(Prompt p, List<StoredResult> written, AtomicInteger done,
      AtomicInteger failed) {
    if (stopping.get() || fatal.get() != null) {
      return;
    }
    progress.promptStarted();
    long start = System.nanoTime();
    ObjectNode line;
    boolean ok;
    try {
      PromptOutcome outcome = runner.run(p);
      long ms = (System.nanoTime() - start) / 1_000_000;
      if (traceDir.isPresent()) {
        writeTrace(traceDir.get(), p, ResultLines.trace(p, outcome, ms, stamp));
      }
      line = ResultLines.success(p, outcome, ms, stamp);
      ok = true;
    } catch (RuntimeException e) {
      if (stopping.get()) {
        progress.promptFinished(false);
        return;
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      line = ResultLines.failure(p, scrub.apply(describe(e)), Futures.unwrap(e).getClass().getName(), ms,
          stamp);
      ok = false;
    }
    if (stopping.get()) {
      progress.promptFinished(ok);
      return;
    }
    try {
      store.append(line);
    } catch (RuntimeException e) {
      fatal.compareAndSet(null, e);
      stopping.set(true);
      progress.promptFinished(false);
      return;
    }
    written.add(ResultsStore.summarize(line));
    (ok ? done : failed).incrementAndGet();
    progress.promptFinished(ok);
  }

  private void writeTrace(Path dir, Prompt p, ObjectNode trace) {
    Path target = dir.resolve(PromptIds.fileName(p.id()) + ".json");
    Path tmp = dir.resolve(PromptIds.fileName(p.id()) + ".json.tmp");
    try {
      String text = scrub.apply(
          ResultLines.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(trace));
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the trace " + target + ": " + e, e);
    }
  }

  /**
   * A one-line description of a failure: its message, and its cause's when that adds something.
   *
   * @param e the failure
   * @return the text
   */
  static String describe(Throwable e) {
    Throwable t = Futures.unwrap(e);
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    Throwable cause = t.getCause();
    if (cause != null && cause.getMessage() != null && !msg.contains(cause.getMessage())) {
      msg = msg + " (cause: " + cause.getMessage() + ")";
    }
    return msg;
  }
}
