package dev.tpo.core.model;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The recording interceptor: records every request that passes it, with its response, as a {@link
 * CallRecord} (phase and round from the request's {@link CallTag}), and hands each record to a
 * callback. Failed requests are not recorded. Put it last in a chain to record requests as sent.
 *
 * <p>Thread-safe.
 */
public final class CallRecorder implements ModelInterceptor {
  private final Clock clock;
  private final Consumer<CallRecord> onCall;
  private final List<CallRecord> calls = new ArrayList<>();

  /** A recorder on the system clock with no callback. */
  public CallRecorder() {
    this(Clock.systemUTC(), c -> { });
  }

  /**
   * A recorder.
   *
   * @param clock the clock for wall times
   * @param onCall called with each record, on the thread that completed the request; must not
   *     throw
   */
  public CallRecorder(Clock clock, Consumer<CallRecord> onCall) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.onCall = Objects.requireNonNull(onCall, "onCall");
  }

  @Override
  public CompletableFuture<ChatResponse> intercept(Chain chain) {
    ChatRequest request = chain.request();
    Instant start = clock.instant();
    return chain.proceed(request).thenApply(response -> {
      long millis = Math.max(0, Duration.between(start, clock.instant()).toMillis());
      CallRecord call =
          CallRecord.of(chain.model().servedBy(response), request, response, millis);
      synchronized (calls) {
        calls.add(call);
      }
      onCall.accept(call);
      return response;
    });
  }

  /** @return every record so far, in completion order */
  public List<CallRecord> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /**
   * The records from a position on.
   *
   * @param from a value of {@link #callCount()} taken earlier
   * @return the records since then
   */
  public List<CallRecord> callsSince(int from) {
    synchronized (calls) {
      return List.copyOf(calls.subList(from, calls.size()));
    }
  }

  /** @return how many requests were recorded */
  public int callCount() {
    synchronized (calls) {
      return calls.size();
    }
  }

  /** @return the summed token usage of every record */
  public TokenUsage usage() {
    TokenUsage total = TokenUsage.ZERO;
    for (CallRecord c : calls()) {
      total = total.plus(c.usage());
    }
    return total;
  }
}
