package dev.tpo.adapter.http;

import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.ModelInterceptor;
import java.util.concurrent.CompletableFuture;

/**
 * The concurrency-limit interceptor: at most {@code limit} requests pass it at once; further ones
 * wait in a FIFO queue without holding a thread ({@link AsyncLimiter}) and go on when one
 * completes.
 *
 * <p>Thread-safe; share one instance per server.
 */
public final class ConcurrencyLimit implements ModelInterceptor {
  private final AsyncLimiter limiter;

  /**
   * A limit.
   *
   * @param limit the most requests in flight, at least 1
   * @throws IllegalArgumentException when {@code limit < 1}
   */
  public ConcurrencyLimit(int limit) {
    this.limiter = new AsyncLimiter(limit);
  }

  @Override
  public CompletableFuture<ChatResponse> intercept(Chain chain) {
    return limiter.submit(() -> chain.proceed(chain.request()));
  }

  /** @return the most requests in flight at once */
  public int limit() {
    return limiter.limit();
  }

  /** @return the most requests that have been in flight at once so far */
  public int peakInFlight() {
    return limiter.peakInFlight();
  }
}
