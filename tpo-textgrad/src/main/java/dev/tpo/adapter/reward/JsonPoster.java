package dev.tpo.adapter.reward;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tpo.adapter.http.AsyncLimiter;
import dev.tpo.adapter.http.HttpFailures;
import dev.tpo.adapter.http.JsonBuffers;
import dev.tpo.adapter.http.JsonErrors;
import dev.tpo.adapter.http.Secrets;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.Futures;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.error.RateLimitedException;
import dev.tpo.core.error.TpoException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * POSTs JSON to one reward server with OkHttp (the OpenAI SDK's transport; about a quarter of the
 * CPU per request of {@code java.net.http}, see docs/benchmarks.md, measure 3): a bounded number
 * of requests in flight, retries of retryable failures (429 honouring {@code Retry-After}, 5xx,
 * I/O) with exponential backoff, and errors mapped onto {@code dev.tpo.core.error}. Reads JSON
 * leniently ({@code NaN} literals included, so they can be rejected with a clear message).
 *
 * <p>Requests run on OkHttp's dispatcher, whose threads (shared by every poster) are daemon
 * threads that end after a minute idle, so a poster needs no closing. OkHttp's own silent retry
 * of failed connections is off: every retry is this class's, counted and backed off.
 *
 * <p>Thread-safe.
 */
final class JsonPoster {
  /** Reads the numbers Python's json module writes for non-finite floats. */
  static final ObjectMapper MAPPER = JsonMapper.builder(JsonBuffers.factory())
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private static final MediaType JSON = MediaType.get("application/json");
  /** Runs the calls of every poster; daemon threads, so an unclosed poster never holds the JVM. */
  private static final ExecutorService CALLS = new ThreadPoolExecutor(0, Integer.MAX_VALUE,
      60, TimeUnit.SECONDS, new SynchronousQueue<>(), new DaemonThreads());

  private final OkHttpClient client;
  private final URI root;
  private final String apiKey;
  private final AsyncLimiter limiter;
  private final int maxRetries;
  private final Duration backoff;

  JsonPoster(URI root, String apiKey, Duration timeout, int maxConcurrentRequests, int maxRetries,
      Duration backoff) {
    // The limiter bounds the requests in flight; the dispatcher must not bound them lower
    // (OkHttp's default is 5 per host).
    Dispatcher dispatcher = new Dispatcher(CALLS);
    dispatcher.setMaxRequests(maxConcurrentRequests);
    dispatcher.setMaxRequestsPerHost(maxConcurrentRequests);
    OkHttpClient.Builder http = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(Math.max(5, maxConcurrentRequests), 5,
            TimeUnit.MINUTES))
        .retryOnConnectionFailure(false)
        .connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout).callTimeout(timeout);
    if ("http".equalsIgnoreCase(root.getScheme())) {
      // a plain-HTTP (self-hosted) server's SYN lost at a full accept queue is sent again in
      // 0.2 s, not 1 s (issue 21); https endpoints keep the JDK's sockets under TLS
      // (and no TLS set-up for a client that only ever speaks plain HTTP)
      http.connectionSpecs(java.util.List.of(okhttp3.ConnectionSpec.CLEARTEXT))
          .socketFactory(dev.tpo.adapter.http.QuickConnectSockets.get());
    }
    this.client = http.build();
    this.root = root;
    this.apiKey = apiKey;
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
    Request.Builder rb = new Request.Builder().url(uri.toString())
        .header("Accept", "application/json")
        .post(RequestBody.create(json.getBytes(StandardCharsets.UTF_8), JSON));
    if (apiKey != null) {
      rb.header("Authorization", "Bearer " + apiKey);
    }
    return attempt(rb.build(), uri, 0);
  }

  private CompletableFuture<JsonNode> attempt(Request request, URI uri, int retriesDone) {
    String what = "reward request to " + Secrets.describe(uri);
    CompletableFuture<JsonNode> once = limiter
        .submit(() -> send(request))
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
      Throwable t = Futures.unwrap(failure);
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
    Throwable t = Futures.unwrap(failure);
    if (t instanceof IOException) {
      String kind = t instanceof InterruptedIOException ? "timed out" : "could not be completed";
      return new ConnectionFailedException(
          what + " " + kind + " (attempt " + attempts + "): " + Secrets.redact(t.getMessage(),
              apiKey) + ". Check that the reward server runs at that address", t);
    }
    return t;
  }

  /** Sends one request; the future completes with the whole answer or the I/O failure. */
  private CompletableFuture<Answer> send(Request request) {
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    client.newCall(request).enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        answer.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          ResponseBody body = response.body();
          answer.complete(new Answer(response.code(), body == null ? "" : body.string(),
              response.header("Retry-After")));
        } catch (IOException | RuntimeException e) {
          answer.completeExceptionally(e);
        }
      }
    });
    return answer;
  }

  private JsonNode read(String what, Answer response) {
    String body = response.body();
    if (response.status() >= 400) {
      throw HttpFailures.fromStatus(what, response.status(), body, response.retryAfter(), apiKey,
          "The server has no such endpoint or model: check the URL and ?model=, and that the"
              + " server runs a reward model (vLLM: --runner pooling, before 0.10 --task classify;"
              + " TEI: a sequence-classification model)");
    }
    String clean = Secrets.redact(body, apiKey);
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new ConnectionFailedException(what + " answered HTTP " + response.status()
            + " with an empty body (cut off by the server or a proxy?)", null);
      }
      return node;
    } catch (JsonEOFException e) {
      // A complete HTTP answer whose JSON ends early: a transport failure (a proxy, a restart),
      // retried like a 5xx. JSON that is complete but of the wrong shape stays final.
      throw new ConnectionFailedException(
          what + " answered with a body that is cut off (" + JsonErrors.describe(e) + "): "
              + Secrets.snippet(body, apiKey) + ". The server or a proxy cut the answer off", null);
    } catch (JsonProcessingException e) {
      throw new MalformedResponseException(
          what + " answered with a body that is not JSON (" + JsonErrors.describe(e)
              + "): " + Secrets.snippet(body, apiKey), clean, e);
    }
  }

  /** A whole HTTP answer: status, body text and the {@code Retry-After} header (or null). */
  private record Answer(int status, String body, String retryAfter) {}

  /** Names the dispatcher's threads and makes them daemons. */
  private static final class DaemonThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "tpo-reward-http-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}
