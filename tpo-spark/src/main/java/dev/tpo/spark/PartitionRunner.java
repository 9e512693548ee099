package dev.tpo.spark;

import dev.tpo.TpoRequest;
import dev.tpo.TpoResult;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;

/**
 * One task's partition: reads prompts from the input on the task's thread, keeps up to {@code
 * runsPerTask} TPO runs in flight on the executor's shared {@link dev.tpo.Tpo}, and hands each
 * result row to Spark as soon as its run ends, whatever the order (no barrier: a slow prompt never
 * holds the others back). A run that fails becomes a row with its error (the key scrubbed); only
 * a failure of the task itself (Spark then retries it) ends the partition early.
 *
 * <p>Not thread-safe: Spark drives it from the task's thread; runs complete on others.
 */
final class PartitionRunner implements Iterator<Row> {
  /** Test-only: see {@link FaultHook}. */
  static volatile FaultHook faultHook;

  private final Iterator<Row> input;
  private final ExecutorTpo.Built tpo;
  private final TpoCounters counters;
  private final int window;
  private final BlockingQueue<Row> finished = new LinkedBlockingQueue<>();
  private final int partition;
  private final int attempt;
  private int inFlight;
  private int emitted;

  PartitionRunner(Iterator<Row> input, ExecutorTpo.Built tpo, TpoCounters counters, int window) {
    this.input = input;
    this.tpo = tpo;
    this.counters = counters;
    this.window = window;
    TaskContext task = TaskContext.get();
    this.partition = task == null ? 0 : task.partitionId();
    this.attempt = task == null ? 0 : task.attemptNumber();
  }

  @Override
  public boolean hasNext() {
    fill();
    return inFlight > 0;
  }

  @Override
  public Row next() {
    fill();
    if (inFlight == 0) {
      throw new NoSuchElementException();
    }
    Row row;
    try {
      row = finished.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("task interrupted while its TPO runs were in flight", e);
    }
    inFlight--;
    FaultHook hook = faultHook;
    if (hook != null) {
      hook.beforeRow(partition, attempt, emitted);
    }
    emitted++;
    return row;
  }

  private void fill() {
    while (inFlight < window && input.hasNext()) {
      Row in = input.next();
      start(in.getString(0), in.getString(1));
      inFlight++;
    }
  }

  private void start(String id, String prompt) {
    long t0 = System.nanoTime();
    CompletableFuture<TpoResult> run;
    try {
      run = tpo.tpo().optimizeAsync(TpoRequest.builder(prompt).id(id).build());
    } catch (RuntimeException e) {
      run = CompletableFuture.failedFuture(e);
    }
    run.whenComplete((result, error) -> {
      long ms = (System.nanoTime() - t0) / 1_000_000;
      Row row;
      if (error == null) {
        counters.succeeded(result);
        row = TpoRows.success(id, prompt, result, ms);
      } else {
        Throwable cause = error instanceof CompletionException && error.getCause() != null
            ? error.getCause() : error;
        counters.failed();
        row = TpoRows.failure(id, prompt, scrub(String.valueOf(cause.getMessage()),
            tpo.secrets()), cause.getClass().getName(), ms);
      }
      finished.add(row);
    });
  }

  static String scrub(String text, List<String> secrets) {
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, "***");
    }
    return out;
  }
}
