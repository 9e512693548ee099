package dev.tpo.adapter.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A MockWebServer dispatcher that behaves like a server with a given stance on {@code n}: it
 * refuses {@code n > 1} like older llama.cpp builds (HTTP 500), or ignores it like Ollama (one
 * choice). Each answer's text names the request's seed; usage is 10 prompt tokens and a
 * seed-dependent number of completion tokens per request. Records the peak of requests in flight.
 */
final class FakeServer extends Dispatcher {
  enum NMode { REFUSE, IGNORE }

  private final NMode mode;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();
  private final AtomicInteger unseeded = new AtomicInteger();
  private long delayMillis;

  FakeServer(NMode mode) {
    this.mode = mode;
  }

  FakeServer withDelayMillis(long millis) {
    this.delayMillis = millis;
    return this;
  }

  int peakInFlight() {
    return peak.get();
  }

  static long completionTokens(JsonNode body) {
    return 5 + Math.floorMod(body.path("seed").asLong(0), 7);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    int now = inFlight.incrementAndGet();
    peak.accumulateAndGet(now, Math::max);
    try {
      if (delayMillis > 0) {
        Thread.sleep(delayMillis);
      }
      JsonNode body = ChatJson.body(request);
      int n = body.path("n").asInt(1);
      if (mode == NMode.REFUSE && n > 1) {
        return ChatJson.json(500, "{\"error\":{\"code\":500,\"message\":"
            + "\"Only one completion choice is allowed\",\"type\":\"server_error\"}}");
      }
      String text = body.has("seed") ? "answer for seed " + body.get("seed").asLong()
          : "unseeded answer " + unseeded.incrementAndGet();
      List<String> texts = new ArrayList<>(List.of(text));
      return ChatJson.completion(texts, 10, (int) completionTokens(body));
    } finally {
      inFlight.decrementAndGet();
    }
  }
}
