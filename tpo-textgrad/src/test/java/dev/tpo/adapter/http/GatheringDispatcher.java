package dev.tpo.adapter.http;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A MockWebServer dispatcher that holds every request until a given number of them have arrived
 * (or a bound passes), then answers them all. When a client lets that many requests be in flight
 * at once, every request sees the whole group arrive; when the client caps them lower, the held
 * ones wait out the bound and {@link #answeredTogether()} stays below the group size.
 */
public final class GatheringDispatcher extends Dispatcher {
  private final int group;
  private final long boundMillis;
  private final Function<RecordedRequest, MockResponse> answer;
  private final CountDownLatch arrived;
  private final AtomicInteger together = new AtomicInteger();

  /**
   * A dispatcher.
   *
   * @param group how many requests to wait for
   * @param boundMillis the longest a request is held
   * @param answer the answer to each request once released
   */
  public GatheringDispatcher(int group, long boundMillis,
      Function<RecordedRequest, MockResponse> answer) {
    this.group = group;
    this.boundMillis = boundMillis;
    this.answer = answer;
    this.arrived = new CountDownLatch(group);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    arrived.countDown();
    if (arrived.await(boundMillis, TimeUnit.MILLISECONDS)) {
      together.incrementAndGet();
    }
    return answer.apply(request);
  }

  /** @return how many requests were held while the whole group arrived */
  public int answeredTogether() {
    return together.get();
  }

  /** @return the group size */
  public int group() {
    return group;
  }
}
