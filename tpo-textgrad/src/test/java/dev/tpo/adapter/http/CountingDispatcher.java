package dev.tpo.adapter.http;

import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A MockWebServer dispatcher that records the peak of requests in flight and can hold each answer
 * back for a while, so tests can see how many requests a client sends at once.
 *
 * @param <D> the concrete dispatcher
 */
public abstract class CountingDispatcher<D extends CountingDispatcher<D>> extends Dispatcher {
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();
  private volatile long delayMillis;

  /** Holds each answer back this long. */
  @SuppressWarnings("unchecked")
  public D withDelayMillis(long millis) {
    this.delayMillis = millis;
    return (D) this;
  }

  /** The most requests that were in flight at once. */
  public int peakInFlight() {
    return peak.get();
  }

  @Override
  public final MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    int now = inFlight.incrementAndGet();
    peak.accumulateAndGet(now, Math::max);
    try {
      if (delayMillis > 0) {
        Thread.sleep(delayMillis);
      }
      return answer(request);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** The answer to one request. */
  protected abstract MockResponse answer(RecordedRequest request);
}
