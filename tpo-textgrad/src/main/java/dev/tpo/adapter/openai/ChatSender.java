package dev.tpo.adapter.openai;

import com.openai.core.RequestOptions;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpMethod;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import dev.tpo.adapter.http.HttpFailures;
import dev.tpo.adapter.http.Secrets;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.Futures;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * Sends one chat-completion HTTP request for {@link OpenAiCompatibleModel}: the body written
 * directly ({@link ChatWire#body}, the bytes the SDK writes for its own request class), sent
 * through the SDK's {@code RetryingHttpClient} (which retries 408, 409, 429, 5xx and I/O failures
 * before the answer starts, honouring {@code Retry-After} and {@code X-Should-Retry}) on the
 * adapter's OkHttp client ({@link OkHttpTransport}); sending again an answer whose body breaks off
 * while it is read; and mapping what still fails onto the core exceptions with the API key
 * redacted.
 *
 * <p>Not through the SDK's chat service ({@code client.chat().completions()}): that path looks up
 * each request's model by Kotlin reflection ({@code PrepareRequest.modelNameOrNull}, for Azure
 * deployment paths), whose first call loads and initialises {@code kotlin-reflect}, about 0.3 s of
 * CPU before a command's first request (issue 21), and it builds a new OkHttp client per call. The
 * request is the one that path sends (the same URL, body and {@code Authorization} header; the
 * SDK's telemetry headers were off already).
 *
 * <p>Thread-safe: holds only immutable settings and thread-safe collaborators.
 */
final class ChatSender {
  /** First wait before sending a request again whose answer broke off; doubled each time. */
  private static final Duration BODY_RETRY_WAIT = Duration.ofMillis(500);

  private static final java.util.concurrent.ThreadFactory DAEMONS = new java.util.concurrent
      .ThreadFactory() {
        private final java.util.concurrent.atomic.AtomicInteger count =
            new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
          Thread t = new Thread(r, "tpo-chat-http-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        }
      };

  private final HttpClient retrying;
  private final String apiRoot;
  private final Headers headers;
  private final RetrySleeper retrySleeper;
  private final String model;
  private final Map<String, Object> extraBody;
  private final String apiKey;
  private final int maxRetries;
  private final String what;

  /**
   * A sender.
   *
   * @param http the OkHttp client (from {@link #transport}, with {@link NRefusal} added)
   * @param apiRoot for example {@code http://localhost:8000/v1}
   * @param headers the builder's extra headers
   * @param retrySleeper waits between retries (the SDK's and the broken-body ones)
   * @param model the model name sent
   * @param extraBody the builder's extra body fields
   * @param apiKey the key, or null to send no {@code Authorization} header
   * @param maxRetries retries after the first attempt
   * @param what the operation and endpoint, for messages
   */
  ChatSender(OkHttpClient http, String apiRoot, Map<String, String> headers,
      RetrySleeper retrySleeper, String model, Map<String, Object> extraBody, String apiKey,
      int maxRetries, String what) {
    this.retrying = OkHttpTransport.retrying(http, retrySleeper, maxRetries);
    this.apiRoot = apiRoot;
    Headers.Builder h = Headers.builder();
    headers.forEach(h::put);
    if (apiKey != null) {
      h.put("Authorization", "Bearer " + apiKey);
    }
    this.headers = h.build();
    this.retrySleeper = retrySleeper;
    this.model = model;
    this.extraBody = Map.copyOf(extraBody);
    this.apiKey = apiKey;
    this.maxRetries = maxRetries;
    this.what = what;
  }

  /**
   * The OkHttp client of the adapters, whose dispatcher threads are daemons. The SDK's own one lets 64 requests run at once (its
   * dispatcher's {@code maxRequests}, copied into {@code maxRequestsPerHost}); this one lets
   * {@code maxConcurrentRequests} run, and keeps as many connections for reuse. Both limits must
   * be raised: OkHttp's own per-host default is 5. For a plain {@code http://} server (the
   * self-hosted kind: vLLM, llama.cpp, SGLang on a LAN) new connections use {@link
   * dev.tpo.adapter.http.QuickConnectSockets}: a SYN lost at the server's full accept queue is
   * sent again in 0.2 s, not after the kernel's 1 s (issue 21). {@code https://} endpoints (hosted
   * APIs, farther away, behind large load balancers) keep the JDK's sockets under TLS.
   */
  static OkHttpClient transport(int maxConcurrentRequests, Duration connect, Duration read,
      Duration timeout, boolean plainHttp) {
    // Daemon threads: a program that never closes its model (Tpo.defaults() in a plain main)
    // still ends at once; OkHttp's own dispatcher threads would keep the JVM alive for a minute.
    Dispatcher dispatcher = new Dispatcher(new java.util.concurrent.ThreadPoolExecutor(0,
        Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(),
        DAEMONS));
    dispatcher.setMaxRequests(maxConcurrentRequests);
    dispatcher.setMaxRequestsPerHost(maxConcurrentRequests);
    OkHttpClient.Builder b = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(Math.max(5, maxConcurrentRequests), 5,
            TimeUnit.MINUTES))
        // every retry is the SDK's, counted and backed off (OkHttp would otherwise silently send
        // again a request whose connection was reset); OkHttp drops the Authorization header
        // on a redirect to another host
        .retryOnConnectionFailure(false)
        .connectTimeout(connect).readTimeout(read).writeTimeout(timeout).callTimeout(timeout);
    if (plainHttp) {
      // no TLS set-up (trust store, CA certificates: about 1.5 s of a run's start on two busy
      // cores, issue 21) for a client that only ever speaks plain HTTP
      b.connectionSpecs(java.util.List.of(okhttp3.ConnectionSpec.CLEARTEXT))
          .socketFactory(dev.tpo.adapter.http.QuickConnectSockets.get());
    }
    return b.build();
  }

  /**
   * Sends one request.
   *
   * @param request the request
   * @return the parsed response, or a future failed with a core exception
   */
  CompletableFuture<ChatResponse> send(ChatRequest request) {
    return send(request, 0);
  }

  private CompletableFuture<ChatResponse> send(ChatRequest request, int bodyRetries) {
    CompletableFuture<String> body;
    try {
      HttpRequest http = HttpRequest.builder()
          .method(HttpMethod.POST)
          .baseUrl(apiRoot)
          .addPathSegments("chat", "completions")
          .putAllHeaders(headers)
          .body(new JsonBody(() -> ChatWire.body(model, request, extraBody)))
          .build();
      body = retrying.executeAsync(http, RequestOptions.none()).thenApply(this::readBody);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(SdkFailures.map(e, what, apiKey, maxRetries + 1));
    }
    return body.handle((text, failure) -> {
      Throwable t;
      boolean cutOff = false;
      if (failure == null) {
        try {
          return CompletableFuture.completedFuture(ChatWire.parse(text, what, apiKey));
        } catch (ConnectionFailedException e) {
          cutOff = true;
          t = e; // a complete HTTP answer whose JSON ends early: sent again like a 5xx
        }
      } else {
        t = Futures.unwrap(failure);
      }
      if (t instanceof BodyBrokeOff || cutOff) {
        if (bodyRetries < maxRetries) {
          Duration wait = BODY_RETRY_WAIT.multipliedBy(1L << Math.min(bodyRetries, 4));
          return retrySleeper.sleepAsync(wait)
              .thenCompose(ignored -> send(request, bodyRetries + 1));
        }
        if (cutOff) {
          return CompletableFuture.<ChatResponse>failedFuture(new ConnectionFailedException(
              t.getMessage() + " (on " + (bodyRetries + 1) + " attempt(s))", null));
        }
        return CompletableFuture.<ChatResponse>failedFuture(new ConnectionFailedException(
            what + ": the answer's body broke off while reading on " + (bodyRetries + 1)
                + " attempt(s): " + Secrets.redact(t.getCause().getMessage(), apiKey)
                + ". Check the server and any proxy in between", t.getCause()));
      }
      return CompletableFuture.<ChatResponse>failedFuture(
          SdkFailures.map(failure, what, apiKey, maxRetries + 1));
    }).thenCompose(f -> f);
  }

  /**
   * The body of a 2xx answer; an error status becomes the core exception (after the SDK's
   * retries), with the body's {@code error} object as the SDK shows it.
   */
  private String readBody(HttpResponse raw) {
    int status;
    String text;
    try (raw; InputStream in = raw.body()) {
      status = raw.statusCode();
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      if (raw.statusCode() >= 300) {
        throw HttpFailures.fromStatus(what, raw.statusCode(), "", OkHttpTransport.retryAfter(raw), apiKey);
      }
      throw new BodyBrokeOff(e);
    }
    if (status >= 300) {
      throw HttpFailures.fromStatus(what, status, SdkFailures.errorBody(text), OkHttpTransport.retryAfter(raw),
          apiKey);
    }
    return text;
  }

  /**
   * A JSON request body, repeatable (the SDK retries only repeatable bodies), written when OkHttp
   * first asks for it, on its dispatcher thread, as the SDK's own JSON bodies are: a caller's
   * thread (one per TPO run) does not write it. The bytes are kept for a retry.
   */
  static final class JsonBody implements HttpRequestBody {
    private final Supplier<byte[]> writer;
    private volatile byte[] json;

    /** @param writer writes the body, for example {@link ChatWire#body} */
    JsonBody(Supplier<byte[]> writer) {
      this.writer = writer;
    }

    private byte[] bytes() {
      byte[] b = json;
      if (b == null) {
        b = writer.get();
        json = b;
      }
      return b;
    }

    @Override
    public void writeTo(OutputStream out) {
      try {
        out.write(bytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String contentType() {
      return "application/json";
    }

    @Override
    public long contentLength() {
      return bytes().length;
    }

    @Override
    public boolean repeatable() {
      return true;
    }

    @Override
    public void close() {
      // nothing held
    }
  }

  /** The body of an answer broke off while it was read; the request is worth sending again. */
  private static final class BodyBrokeOff extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BodyBrokeOff(IOException cause) {
      super("the chat-completion body broke off while reading: " + cause.getMessage(), cause);
    }
  }
}
