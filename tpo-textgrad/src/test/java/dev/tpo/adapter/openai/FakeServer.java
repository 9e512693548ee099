package dev.tpo.adapter.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.adapter.http.CountingDispatcher;
import dev.tpo.adapter.http.MockHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A MockWebServer dispatcher that behaves like a server with a given stance on {@code n}: it
 * refuses {@code n > 1} like older llama.cpp builds (HTTP 500), or ignores it like Ollama (one
 * choice). Each answer's text names the request's seed; usage is 10 prompt tokens and a
 * seed-dependent number of completion tokens per request.
 */
final class FakeServer extends CountingDispatcher<FakeServer> {
  enum NMode { REFUSE, IGNORE }

  private final NMode mode;
  private final AtomicInteger unseeded = new AtomicInteger();

  FakeServer(NMode mode) {
    this.mode = mode;
  }

  static long completionTokens(JsonNode body) {
    return 5 + Math.floorMod(body.path("seed").asLong(0), 7);
  }

  @Override
  protected MockResponse answer(RecordedRequest request) {
    JsonNode body = MockHttp.body(request);
    int n = body.path("n").asInt(1);
    if (mode == NMode.REFUSE && n > 1) {
      return MockHttp.json(500, "{\"error\":{\"code\":500,\"message\":"
          + "\"Only one completion choice is allowed\",\"type\":\"server_error\"}}");
    }
    String text = body.has("seed") ? "answer for seed " + body.get("seed").asLong()
        : "unseeded answer " + unseeded.incrementAndGet();
    List<String> texts = new ArrayList<>(List.of(text));
    return ChatJson.completion(texts, 10, (int) completionTokens(body));
  }
}
