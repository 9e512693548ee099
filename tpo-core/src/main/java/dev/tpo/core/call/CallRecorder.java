package dev.tpo.core.call;

import dev.tpo.core.error.Futures;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.ModelInterceptor;
import dev.tpo.core.model.TokenUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The recording interceptor: records every request that passes it, with its response, as a {@link
 * CallRecord} (phase and round from the request's {@link CallTag}), and hands each record to a
 * callback. A request whose answer is a failure is not a record: it goes to the failure callback as
 * a {@link CallFailure} (one request, no tokens), so that requests can be counted whether they
 * succeeded or not, and is counted by {@link #failureCount()}. Put it last in a chain to record
 * requests as sent.
 *
 * <p>Thread-safe.
 */
public final class CallRecorder implements ModelInterceptor {
  private final Clock clock;
  private final Consumer<CallRecord> onCall;
  private final Consumer<CallFailure> onFailure;
  private final List<CallRecord> calls = new ArrayList<>();
  private final AtomicInteger failures = new AtomicInteger();

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
    this(clock, onCall, f -> { });
  }

  /**
   * A recorder that also reports failed requests.
   *
   * @param clock the clock for wall times
   * @param onCall called with each record, on the thread that completed the request; must not
   *     throw
   * @param onFailure called with each failed request, on the thread that failed it; must not
   *     throw
   */
  public CallRecorder(Clock clock, Consumer<CallRecord> onCall,
      Consumer<CallFailure> onFailure) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.onCall = Objects.requireNonNull(onCall, "onCall");
    this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
  }

  @Override
  public CompletableFuture<ChatResponse> intercept(Chain chain) {
    ChatRequest request = chain.request();
    Instant start = clock.instant();
    CompletableFuture<ChatResponse> sent;
    try {
      sent = chain.proceed(request);
    } catch (RuntimeException e) {
      failed(chain, request, start, e);
      throw e;
    }
    return sent.whenComplete((response, failure) -> {
      if (failure != null) {
        failed(chain, request, start, Futures.unwrap(failure));
        return;
      }
      long millis = Math.max(0, Duration.between(start, clock.instant()).toMillis());
      CallRecord call =
          CallRecord.of(chain.model().servedBy(response), request, response, millis);
      synchronized (calls) {
        calls.add(call);
      }
      onCall.accept(call);
    });
  }

  private void failed(Chain chain, ChatRequest request, Instant start, Throwable error) {
    long millis = Math.max(0, Duration.between(start, clock.instant()).toMillis());
    failures.incrementAndGet();
    onFailure.accept(CallFailure.of(chain.model().name(), request, error, millis));
  }

  /** @return how many requests failed (not among {@link #calls()}) */
  public int failureCount() {
    return failures.get();
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
