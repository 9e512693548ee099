package dev.tpo.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/** JSON answers for MockWebServer and JSON reading of recorded requests, for the adapter tests. */
public final class MockHttp {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private MockHttp() {}

  /** An answer with the status and a JSON body. */
  public static MockResponse json(int status, String body) {
    return new MockResponse().setResponseCode(status)
        .setHeader("Content-Type", "application/json").setBody(body);
  }

  /** The body a request carried, as a JSON tree. */
  public static JsonNode body(RecordedRequest request) {
    try {
      return MAPPER.readTree(request.getBody().clone().readUtf8());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A checked-in JSON file next to the anchor class, as a tree. */
  public static JsonNode resource(Class<?> anchor, String name) {
    try (InputStream in = anchor.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
