package dev.tpo.cli.progress;

import dev.tpo.core.event.PhaseCompleted;
import dev.tpo.core.event.PhaseFailed;
import dev.tpo.core.event.TpoListener;
import dev.tpo.core.model.TokenUsage;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Counts prompts done, in flight and failed, tokens and requests, and shows them on stderr: a bar
 * redrawn in place when a terminal is attached, else one line every few seconds. Also a {@link
 * TpoListener}: tokens and requests come from the loop's {@link PhaseCompleted} and {@link
 * PhaseFailed} events as they happen.
 *
 * <p>Thread-safe: counters are atomic and events may arrive from any thread.
 */
public final class ProgressReporter implements TpoListener, AutoCloseable {
  private final int total;
  private final PrintStream out;
  private final ProgressStyle style;
  private final Duration interval;
  private final long startNanos = System.nanoTime();
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong tokens = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong promptTokens = new AtomicLong();
  private final AtomicLong completionTokens = new AtomicLong();
  private final AtomicLong waitingRetries = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private ScheduledExecutorService timer;
  private volatile Supplier<String> endpoints;

  /**
   * Creates a reporter; call {@link #start()} to begin showing progress.
   *
   * @param total prompts this run will process
   * @param out where to print (stderr)
   * @param style how to show progress; {@link ProgressStyle#AUTO} picks the bar when {@link
   *     System#console()} is present
   * @param interval how often a {@link ProgressStyle#LOG} line is printed
   */
  public ProgressReporter(int total, PrintStream out, ProgressStyle style, Duration interval) {
    this.total = total;
    this.out = out;
    this.style = style == ProgressStyle.AUTO
        ? (System.console() != null ? ProgressStyle.BAR : ProgressStyle.LOG) : style;
    this.interval = interval;
  }

  /** @return the style in use, never {@link ProgressStyle#AUTO} */
  public ProgressStyle style() {
    return style;
  }

  /** Starts the periodic display. */
  public synchronized void start() {
    if (style == ProgressStyle.OFF || total == 0 || timer != null) {
      return;
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tpo-progress");
      t.setDaemon(true);
      return t;
    });
    long periodMs = style == ProgressStyle.BAR ? 250 : Math.max(100, interval.toMillis());
    timer.scheduleAtFixedRate(this::print, periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Adds the servers' load and state to the status line (when a run is balanced over several).
   *
   * @param status gives, for example, {@code http://a:8000/v1 healthy 7, http://b:8000/v1 ejected 0}
   */
  public void endpoints(Supplier<String> status) {
    this.endpoints = status;
  }

  /** A prompt started. */
  public void promptStarted() {
    inFlight.incrementAndGet();
  }

  /**
   * A prompt finished.
   *
   * @param ok whether it succeeded
   */
  public void promptFinished(boolean ok) {
    inFlight.decrementAndGet();
    (ok ? done : failed).incrementAndGet();
  }

  /** A prompt's try failed transiently; it waits to run again after the others. */
  public void retryScheduled() {
    waitingRetries.incrementAndGet();
    retries.incrementAndGet();
    inFlight.decrementAndGet();
  }

  /** A prompt that waited for a retry runs again. */
  public void retryStarted() {
    waitingRetries.decrementAndGet();
    inFlight.incrementAndGet();
  }

  /**
   * Counts a completed phase of any prompt's run. This is the one definition of the run's requests
   * and tokens, shown by the progress line and the summary alike: every request the loop recorded
   * (each chat completion of sampling, loss, gradient and update, and each reward scoring, an LLM
   * judge's rating requests included), for every try of every prompt, whether the prompt then
   * succeeded or failed, and whether the request itself was answered or failed (a failed chat
   * request counts once, see {@link #onPhaseFailed}); an HTTP-level retry inside one request (the
   * OpenAI SDK's {@code --max-retries}, a re-sent cut-off answer) is not counted again.
   *
   * @param event the event
   */
  @Override
  public void onPhaseCompleted(PhaseCompleted event) {
    count(event.usage());
  }

  /**
   * Counts a failed model request of any prompt's run (its prompt may then be retried or fail):
   * one request, and the tokens the failure reported (none for this project's adapters).
   *
   * @param event the event
   */
  @Override
  public void onPhaseFailed(PhaseFailed event) {
    count(event.usage());
  }

  private void count(TokenUsage usage) {
    tokens.addAndGet(usage.totalTokens());
    promptTokens.addAndGet(usage.promptTokens());
    completionTokens.addAndGet(usage.completionTokens());
    requests.addAndGet(usage.requests());
  }

  /** @return requests counted so far (see {@link #onPhaseCompleted}) */
  public long requests() {
    return requests.get();
  }

  /** @return prompt tokens counted so far */
  public long promptTokens() {
    return promptTokens.get();
  }

  /** @return completion tokens counted so far */
  public long completionTokens() {
    return completionTokens.get();
  }

  /** @return how many prompt retries this run made */
  public long retries() {
    return retries.get();
  }

  /**
   * The current status line, as printed.
   *
   * @return for example {@code [#####-----] 5/10 done, 2 in flight, 0 failed | ...}
   */
  public String statusLine() {
    long d = done.get();
    long f = failed.get();
    long finished = d + f;
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    int width = 24;
    int filled = total == 0 ? width : (int) Math.min(width, finished * width / total);
    String bar = "#".repeat(filled) + "-".repeat(width - filled);
    String eta = finished == 0 ? "?" : formatSeconds(elapsed / finished * (total - finished));
    Supplier<String> servers = endpoints;
    return String.format(Locale.ROOT,
        "[%s] %d/%d done, %d in flight, %d failed%s | %s tokens, %d requests | %s elapsed, ETA %s",
        bar, d, total, inFlight.get(), f,
        waitingRetries.get() > 0 ? ", " + waitingRetries.get() + " waiting to retry" : "",
        compact(tokens.get()), requests.get(),
        formatSeconds(elapsed), eta) + (servers == null ? "" : " | servers: " + servers.get());
  }

  private synchronized void print() {
    if (style == ProgressStyle.BAR) {
      out.print("\r" + statusLine() + "\u001b[K");
    } else {
      out.println("progress: " + statusLine());
    }
    out.flush();
  }

  /** Stops the display, leaving the cursor on a fresh line. */
  @Override
  public synchronized void close() {
    if (timer == null) {
      return;
    }
    timer.shutdownNow();
    timer = null;
    if (style == ProgressStyle.BAR) {
      out.print("\r" + statusLine() + "\u001b[K\n");
      out.flush();
    }
  }

  /**
   * Formats seconds as {@code 1h02m}, {@code 3m05s} or {@code 12.3s}.
   *
   * @param seconds the duration
   * @return the text
   */
  public static String formatSeconds(double seconds) {
    if (seconds < 60) {
      return String.format(Locale.ROOT, "%.1fs", seconds);
    }
    long s = Math.round(seconds);
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  /**
   * Formats a count as {@code 950}, {@code 12.3k} or {@code 4.56M}.
   *
   * @param n the count
   * @return the text
   */
  public static String compact(long n) {
    if (n < 1000) {
      return Long.toString(n);
    }
    if (n < 1_000_000) {
      return String.format(Locale.ROOT, "%.1fk", n / 1e3);
    }
    return String.format(Locale.ROOT, "%.2fM", n / 1e6);
  }
}
