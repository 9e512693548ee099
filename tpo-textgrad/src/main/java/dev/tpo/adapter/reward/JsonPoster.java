package dev.tpo.adapter.reward;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tpo.adapter.http.AsyncLimiter;
import dev.tpo.adapter.http.HttpFailures;
import dev.tpo.adapter.http.Secrets;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.error.RateLimitedException;
import dev.tpo.core.error.TpoException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * POSTs JSON to one reward server with {@link HttpClient}: a bounded number of requests in flight,
 * retries of retryable failures (429 honouring {@code Retry-After}, 5xx, I/O) with exponential
 * backoff, and errors mapped onto {@code dev.tpo.core.error}. Reads JSON leniently ({@code NaN}
 * literals included, so they can be rejected with a clear message).
 *
 * <p>Thread-safe.
 */
final class JsonPoster {
  /** Reads the numbers Python's json module writes for non-finite floats. */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private final HttpClient client;
  private final URI root;
  private final String apiKey;
  private final Duration timeout;
  private final AsyncLimiter limiter;
  private final int maxRetries;
  private final Duration backoff;

  JsonPoster(URI root, String apiKey, Duration timeout, int maxConcurrentRequests, int maxRetries,
      Duration backoff) {
    this.client = HttpClient.newBuilder().connectTimeout(timeout)
        .version(HttpClient.Version.HTTP_1_1).build();
    this.root = root;
    this.apiKey = apiKey;
    this.timeout = timeout;
    this.limiter = new AsyncLimiter(maxConcurrentRequests);
    this.maxRetries = maxRetries;
    this.backoff = backoff;
  }

  /** @return the server root, for example {@code http://host:8001} */
  URI root() {
    return root;
  }

  /**
   * Posts the body to the path and reads the JSON answer.
   *
   * @param path for example {@code /pooling}
   * @param body the request JSON
   * @return the answer, or a failure with a {@link TpoException}
   */
  CompletableFuture<JsonNode> post(String path, JsonNode body) {
    URI uri = URI.create(root.toString() + path);
    String json;
    try {
      json = MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(e);
    }
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    if (apiKey != null) {
      rb.header("Authorization", "Bearer " + apiKey);
    }
    return attempt(rb.build(), uri, 0);
  }

  private CompletableFuture<JsonNode> attempt(HttpRequest request, URI uri, int retriesDone) {
    String what = "reward request to " + Secrets.describe(uri);
    CompletableFuture<JsonNode> once = limiter
        .submit(() -> client.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
        .handle((response, failure) -> {
          if (failure != null) {
            throw new CompletionException(ioFailure(what, failure, retriesDone + 1));
          }
          return read(what, response);
        });
    return once.handle((value, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(value);
      }
      Throwable t = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (t instanceof TpoException && ((TpoException) t).isRetryable()
          && retriesDone < maxRetries) {
        Duration wait = backoff.multipliedBy(1L << Math.min(retriesDone, 10));
        if (t instanceof RateLimitedException) {
          wait = ((RateLimitedException) t).retryAfter().orElse(wait);
        }
        return CompletableFuture.supplyAsync(() -> null,
                CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS))
            .thenCompose(ignored -> attempt(request, uri, retriesDone + 1));
      }
      return CompletableFuture.<JsonNode>failedFuture(t);
    }).thenCompose(f -> f);
  }

  private Throwable ioFailure(String what, Throwable failure, int attempts) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (t instanceof IOException) {
      String kind = t instanceof HttpTimeoutException ? "timed out" : "could not be completed";
      return new ConnectionFailedException(
          what + " " + kind + " (attempt " + attempts + "): " + Secrets.redact(t.getMessage(),
              apiKey) + ". Check that the reward server runs at that address", t);
    }
    return t;
  }

  private JsonNode read(String what, HttpResponse<String> response) {
    String body = response.body() == null ? "" : response.body();
    if (response.statusCode() >= 400) {
      throw HttpFailures.fromStatus(what, response.statusCode(), body,
          response.headers().firstValue("Retry-After").orElse(null), apiKey,
          "The server has no such endpoint or model: check the URL and ?model=, and that the"
              + " server runs a reward model (vLLM: --runner pooling, before 0.10 --task classify;"
              + " TEI: a sequence-classification model)");
    }
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new MalformedResponseException(what + " answered with an empty body", body);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new MalformedResponseException(
          what + " answered with a body that is not complete JSON (" + e.getOriginalMessage()
              + "): " + Secrets.snippet(Secrets.redact(body, apiKey)), Secrets.redact(body, apiKey),
          e);
    }
  }
}
