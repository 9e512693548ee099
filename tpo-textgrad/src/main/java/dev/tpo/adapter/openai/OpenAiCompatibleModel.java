package dev.tpo.adapter.openai;

import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.Timeout;
import dev.tpo.adapter.http.ConcurrencyLimit;
import dev.tpo.adapter.http.HttpClientBuilder;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.error.Futures;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.ChoiceListener;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.model.ModelInterceptor;
import dev.tpo.core.model.TokenUsage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;

/**
 * A {@link LanguageModel} served by any OpenAI-compatible chat-completions endpoint (vLLM, SGLang,
 * llama.cpp's {@code llama-server}, Ollama, OpenAI), with the OpenAI Java SDK's request classes
 * and retrying HTTP client on OkHttp.
 *
 * <pre>{@code
 * try (OpenAiCompatibleModel policy = OpenAiCompatibleModel.builder()
 *     .baseUrl("http://localhost:8000")          // with or without /v1
 *     .apiKey("token-abc123")                     // optional
 *     .model("meta-llama/Llama-3.1-8B-Instruct")
 *     .putExtraBody("top_k", 50)                  // vLLM/SGLang-only fields
 *     .build()) {
 *   ChatResponse r = policy.chat(ChatRequest.builder().user("Hi").n(4).temperature(0.7)
 *       .topP(0.95).maxTokens(256).seed(7L).build());
 * }
 * }</pre>
 *
 * <p><b>Sampling.</b> Every setting of the {@link ChatRequest} is sent explicitly (vLLM otherwise
 * applies the model's {@code generation_config.json}); extra body fields (the builder's, then the
 * request's over them) are sent verbatim, as are the builder's headers.
 *
 * <p><b>{@code n} samples.</b> A request for {@code n > 1} asks for all of them in one HTTP request.
 * When the server refuses {@code n} (older llama.cpp: HTTP 500 "Only one completion choice is
 * allowed"; an error naming {@code n}) or answers with fewer choices than asked (Ollama ignores
 * {@code n}), the missing choices are requested concurrently one at a time, choice {@code i} with
 * seed {@code seed + i} when the request has a seed (else the server draws each one), and this
 * instance remembers it: later requests go straight to single-choice requests. The response always
 * has exactly {@code n} choices, and its usage is summed over every HTTP request made for it.
 *
 * <p><b>Retries and errors.</b> The SDK's {@code RetryingHttpClient} retries 408, 409, 429, 5xx
 * and I/O failures (timeouts,
 * refused or reset connections) up to {@code maxRetries} times, waiting for the server's {@code
 * Retry-After} or else with exponential backoff; an answer whose body breaks off mid-transfer is
 * sent again as often (waiting 0.5 s, then twice as long each time). What still fails is mapped
 * onto {@code dev.tpo.core.error}: 401/403 {@link dev.tpo.core.error.AuthenticationException},
 * 404 {@link dev.tpo.core.error.ModelNotFoundException}, other 4xx {@link
 * dev.tpo.core.error.BadRequestException}, 429 {@link dev.tpo.core.error.RateLimitedException}, 5xx
 * {@link dev.tpo.core.error.ServerErrorException}, I/O {@link ConnectionFailedException}, an
 * unusable body {@link dev.tpo.core.error.MalformedResponseException} (with the raw body). HTTP failures keep the
 * status and body; the API key never appears in a message, a body kept, or {@link #toString()}.
 *
 * <p><b>Choices as they finish.</b> {@link #chatAsync(ChatRequest, ChoiceListener)} with {@code
 * n > 1} sends the request with {@code stream=true} (and {@code stream_options.include_usage}),
 * assembles each choice from its deltas and tells the listener about it as soon as its {@code
 * finish_reason} arrives, so a caller can score the short choices while the long ones are still
 * being generated; the response is the same as the plain request's. Faults are retried as on the
 * plain path. When the server refuses streaming with {@code n > 1} (an HTTP 4xx, or a refusal of
 * {@code n}) or streams only choice 0, the plain request is sent instead and this instance
 * remembers it ({@link #streamingFallback()}): later requests go straight to the plain path, and
 * the listener hears each choice when the whole response has arrived. A warning says so once.
 *
 * <p><b>Concurrency.</b> At most {@code maxConcurrentRequests} HTTP requests of this instance are
 * in flight, and the OkHttp client is sized so that all of them reach the server at once;
 * further ones wait in a queue without holding a thread.
 *
 * <p>Thread-safe: create one per server and share it; {@link #close()} it when done.
 */
public final class OpenAiCompatibleModel implements LanguageModel, AutoCloseable {
  /** Builds {@link #client} at the first streamed request. */
  private final OpenAIOkHttpClientAsync.Builder sdk;
  /** The SDK's client, for streamed requests; null until the first. Guarded by this. */
  private OpenAIClientAsync client;
  private boolean closed;
  private final OkHttpClient http;
  private final String apiRoot;
  private final String model;
  private final String apiKey;
  private final ConcurrencyLimit limit;
  private final ChoiceFallback choices;
  private final LanguageModel chain;
  private final ChatStreamer streamer;
  private final LanguageModel streamed;
  private final ExecutorService streamReaders;

  private OpenAiCompatibleModel(Builder b, String apiRoot, String apiKey, Duration timeout) {
    this.apiRoot = apiRoot;
    this.model = b.model;
    this.apiKey = apiKey;
    this.limit = new ConcurrencyLimit(b.maxConcurrentRequests);
    Duration read = b.readTimeout == null ? timeout : b.readTimeout;
    this.http = ChatSender.transport(b.maxConcurrentRequests, b.connectTimeout, read, timeout,
        apiRoot.regionMatches(true, 0, "http://", 0, 7));
    RetrySleeper sleeper = b.retrySleeper != null ? b.retrySleeper : RetrySleeper.system();
    // plain requests: the SDK's retrying client on this OkHttp client, not its chat service
    // (see ChatSender); NRefusal marks a refusal of n as not worth retrying
    ChatSender sender = new ChatSender(http.newBuilder().addInterceptor(new NRefusal()).build(),
        apiRoot, b.headers, sleeper, model, b.extraBody, apiKey, b.maxRetries, describe());
    // the SDK's client serves streamed requests only (opt-in): built at the first one
    OpenAIOkHttpClientAsync.Builder sdk = OpenAIOkHttpClientAsync.builder()
        .okHttpClient(http)
        .baseUrl(apiRoot)
        // The SDK insists on a key; servers started without one ignore the header.
        .apiKey(apiKey == null ? "no-key" : apiKey)
        .maxRetries(b.maxRetries)
        .timeout(Timeout.builder()
            .connect(b.connectTimeout)
            .read(read)
            .write(timeout)
            .request(timeout)
            .build())
        .disableTelemetry(true)
        .sleeper(new SdkSleeper(sleeper))
        .addInterceptor(new NRefusal());
    b.headers.forEach(sdk::putHeader);
    this.streamReaders = Executors.newCachedThreadPool(new StreamThreads());
    sdk.streamHandlerExecutor(streamReaders);
    this.sdk = sdk;
    this.choices = new ChoiceFallback(describe());
    LanguageModel http = new LanguageModel() {
      @Override
      public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        return sender.send(request);
      }

      @Override
      public String name() {
        return model;
      }
    };
    // The n fallback first (it may split one request into n), then the limit on HTTP requests.
    this.chain = ModelInterceptor.wrap(http, List.of(choices, limit));
    // the SDK parses streamed chunks into its Kotlin classes: that needs its own mapper
    this.streamer = new ChatStreamer(this::sdkClient, streamReaders, sleeper, model,
        b.extraBody, apiKey, b.maxRetries, describe());
    LanguageModel streaming = new LanguageModel() {
      @Override
      public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        return streamer.stream(request, choice -> { });
      }

      @Override
      public CompletableFuture<ChatResponse> chatAsync(ChatRequest request,
          ChoiceListener listener) {
        return streamer.stream(request, listener);
      }

      @Override
      public String name() {
        return model;
      }
    };
    // A streamed request is one HTTP request: only the limit applies.
    this.streamed = ModelInterceptor.wrap(streaming, List.of(limit));
  }

  /**
   * Loads and initialises, on the calling thread, what the first request of any instance needs,
   * without sending anything: Jackson's generator (a request body written), the SDK's retrying
   * client and the adapter's request conversion (OkHttp's
   * request, URL and header classes), the JDK's security providers, which OkHttp reads on its
   * first call even for plain HTTP, and the reading of an answer; not TLS, which a client for an
   * {@code https://} server sets up when it is built. Optional: the first request does
   * the same work otherwise. A program that wants its first request out sooner runs this on a
   * spare thread at start-up while it does other things (the {@code tpo} command does, issue 21).
   *
   * <p>Thread-safe and idempotent; it sends nothing.
   */
  public static void preload() {
    java.security.Security.getProviders();
    // plain HTTP only, like the adapter's own client for an http:// server: OkHttp's default one
    // would load the trust store and set TLS up (a tenth of a second in a class-load log) while
    // the main thread needs the core (issue 21); an https:// server's client does that itself
    // when it is built
    OkHttpClient http = new OkHttpClient.Builder()
        .connectionSpecs(List.of(okhttp3.ConnectionSpec.CLEARTEXT)).build();
    OkHttpTransport.retrying(http, RetrySleeper.system(), 0);
    byte[] body = ChatWire.body("m", ChatRequest.builder().system("s").user("u").n(1)
        .temperature(1.0).topP(1.0).maxTokens(1).seed(1L).stop(List.of("x")).build(), Map.of());
    OkHttpTransport.request(com.openai.core.http.HttpRequest.builder()
        .method(com.openai.core.http.HttpMethod.POST).baseUrl("http://localhost:8000/v1")
        .addPathSegments("chat", "completions").putHeader("Authorization", "Bearer k")
        .body(new ChatSender.JsonBody(() -> body)).build());
    ChatWire.parse("{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":"
        + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"a\"},"
        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,"
        + "\"completion_tokens\":1,\"total_tokens\":2}}", "preload", null);
  }

  /**
   * A new builder.
   *
   * @return a builder with the defaults stated on its setters
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    return chain.chatAsync(Objects.requireNonNull(request, "request"));
  }

  /**
   * Sends the request and tells the listener about each choice as soon as it has finished: with
   * {@code n > 1} the request is streamed (see the class comment); with {@code n = 1}, or once the
   * server was found not to stream {@code n > 1} or to serve one choice per request, the plain
   * request is sent and the listener hears every choice when the response has arrived.
   *
   * @param request the request
   * @param listener hears each finished choice, at most once per index
   * @return a future completed with the response, exactly {@code n} choices
   */
  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request, ChoiceListener listener) {
    Objects.requireNonNull(request, "request");
    ChoiceListener.OncePerChoice once = ChoiceListener.oncePerChoice(
        Objects.requireNonNull(listener, "listener"));
    if (request.n() < 2 || streamer.fallback() || choices.singleChoiceOnly()) {
      return chain.chatAsync(request).thenApply(once::reportRest);
    }
    return streamed.chatAsync(request, once).handle((response, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(response);
      }
      Throwable t = Futures.unwrap(failure);
      if (!(t instanceof ChatStreamer.NotStreamed)) {
        return CompletableFuture.<ChatResponse>failedFuture(t);
      }
      ChatStreamer.NotStreamed not = (ChatStreamer.NotStreamed) t;
      streamer.remember(not.getMessage());
      return chain.chatAsync(request).thenApply(plain -> once.reportRest(
          not.usage().equals(TokenUsage.ZERO) ? plain
              : new ChatResponse(plain.choices(), plain.usage().plus(not.usage()),
                  plain.model())));
    }).thenCompose(f -> f);
  }

  /**
   * Whether this instance found that its server does not stream {@code n > 1} (it refused a
   * streamed request, or streamed only choice 0), so that {@link #chatAsync(ChatRequest,
   * ChoiceListener)} sends plain requests.
   *
   * @return true once such an answer was seen
   */
  public boolean streamingFallback() {
    return streamer.fallback();
  }

  /**
   * Whether this instance found that its server serves only one choice per request.
   *
   * @return true once a refusal of {@code n}, or an answer with fewer choices than asked, was seen
   */
  public boolean singleChoiceFallback() {
    return choices.singleChoiceOnly();
  }

  /** @return the model name sent with every request */
  public String model() {
    return model;
  }

  /** @return the API root requests go to, for example {@code http://localhost:8000/v1} */
  public String apiRoot() {
    return apiRoot;
  }

  /** @return the most HTTP requests this instance has had in flight at once so far */
  public int peakRequestsInFlight() {
    return limit.peakInFlight();
  }

  @Override
  public String name() {
    return model;
  }

  private String describe() {
    return "chat completion at " + apiRoot + " (model " + model + ")";
  }

  /**
   * The SDK's client for streamed requests, built at the first (the SDK's mapper with its Kotlin
   * module, which reads the streamed chunks into its classes).
   */
  private synchronized OpenAIClientAsync sdkClient() {
    if (closed) {
      throw new IllegalStateException(describe() + ": the model is closed");
    }
    if (client == null) {
      client = sdk.build();
    }
    return client;
  }

  /** Shuts down the connections and threads. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (client != null) {
        client.close();
      }
    }
    streamReaders.shutdown();
    // The SDK leaves a client it was given open; this one is ours alone.
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @Override
  public String toString() {
    return "OpenAiCompatibleModel[" + apiRoot + ", model=" + model + ", apiKey="
        + (apiKey == null ? "none" : "***") + ", maxConcurrentRequests=" + limit.limit() + "]";
  }

  /** Daemon threads that read streamed answers, named {@code tpo-chat-stream-N}. */
  private static final class StreamThreads implements java.util.concurrent.ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "tpo-chat-stream-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }

  /**
   * Builds an {@link OpenAiCompatibleModel}; {@link #build()} validates every field and names the
   * bad one. The URL, key and time limit of one attempt (10 minutes by default) are set with the
   * inherited setters. Not thread-safe; a built model does not change when the builder does.
   */
  public static final class Builder extends HttpClientBuilder<Builder> {
    private String model;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout;
    private int maxRetries = 2;
    private int maxConcurrentRequests = 64;
    private final Map<String, Object> extraBody = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private RetrySleeper retrySleeper;

    private Builder() {
      super(Duration.ofMinutes(10));
    }

    /**
     * The model name the server serves (vLLM: the {@code --served-model-name}, else the model
     * path; Ollama: the tag such as {@code llama3.1:8b}). Required; {@link ModelProbe} lists them.
     *
     * @param model the name
     * @return this builder
     */
    public Builder model(String model) {
      this.model = model;
      return this;
    }

    /**
     * Time limit for opening the connection. Defaults to 10 seconds.
     *
     * @param connectTimeout positive
     * @return this builder
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /**
     * Longest silence while waiting for the answer; a request that runs past it is retried.
     * Defaults to the {@link #timeout(Duration) timeout} (10 minutes unless set).
     *
     * @param readTimeout positive, or null for the default
     * @return this builder
     */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = readTimeout;
      return this;
    }

    /**
     * How often the SDK retries a retryable failure (408, 409, 429, 5xx, timeouts, dropped
     * connections), honouring {@code Retry-After}. Defaults to 2.
     *
     * @param maxRetries 0 to 20
     * @return this builder
     */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * The most HTTP requests of this model in flight at once; more wait in a queue. Defaults to
     * 64. The SDK's HTTP client is sized to match, so all of them reach the server at once.
     *
     * @param maxConcurrentRequests at least 1
     * @return this builder
     */
    public Builder maxConcurrentRequests(int maxConcurrentRequests) {
      this.maxConcurrentRequests = maxConcurrentRequests;
      return this;
    }

    /**
     * Adds a body field sent with every request (for example vLLM's {@code top_k}, {@code min_p},
     * {@code repetition_penalty}); a request's own extra body overrides it. Empty by default.
     *
     * @param name the JSON field name
     * @param value a JSON-serialisable value (String, Number, Boolean, List, Map)
     * @return this builder
     */
    public Builder putExtraBody(String name, Object value) {
      extraBody.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, name));
      return this;
    }

    /**
     * Replaces the extra body fields sent with every request. Empty by default.
     *
     * @param fields the fields
     * @return this builder
     */
    public Builder extraBody(Map<String, ?> fields) {
      extraBody.clear();
      fields.forEach(this::putExtraBody);
      return this;
    }

    /**
     * Adds an HTTP header sent with every request. None by default.
     *
     * @param name the header name
     * @param value the value
     * @return this builder
     */
    public Builder putHeader(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, name));
      return this;
    }

    /**
     * Replaces the extra HTTP headers. None by default.
     *
     * @param headers name to value
     * @return this builder
     */
    public Builder headers(Map<String, String> headers) {
      this.headers.clear();
      headers.forEach(this::putHeader);
      return this;
    }

    /**
     * Performs the waits between retries (the SDK's, and those before sending again a request
     * whose answer broke off). Defaults to a timer that holds no thread.
     *
     * @param retrySleeper the sleeper, or null for the default
     * @return this builder
     */
    public Builder retrySleeper(RetrySleeper retrySleeper) {
      this.retrySleeper = retrySleeper;
      return this;
    }

    /**
     * Validates and builds. Does no I/O.
     *
     * @return the model; close it when done
     * @throws ConfigurationException naming the field and value when one is invalid
     */
    public OpenAiCompatibleModel build() {
      String root = BaseUrls.apiRoot("OpenAiCompatibleModel.baseUrl", baseUrlValue());
      if (model == null || model.isBlank()) {
        throw new ConfigurationException(
            "OpenAiCompatibleModel.model is not set: give the name the server serves (for vLLM"
                + " the --served-model-name or model path); ModelProbe lists the names");
      }
      model = model.trim();
      requirePositive("OpenAiCompatibleModel.timeout", timeoutValue());
      requirePositive("OpenAiCompatibleModel.connectTimeout", connectTimeout);
      if (readTimeout != null) {
        requirePositive("OpenAiCompatibleModel.readTimeout", readTimeout);
      }
      if (maxRetries < 0 || maxRetries > 20) {
        throw new ConfigurationException(
            "OpenAiCompatibleModel.maxRetries must be between 0 and 20, got " + maxRetries);
      }
      if (maxConcurrentRequests < 1) {
        throw new ConfigurationException(
            "OpenAiCompatibleModel.maxConcurrentRequests must be at least 1, got "
                + maxConcurrentRequests);
      }
      return new OpenAiCompatibleModel(this, root, apiKeyValue(), timeoutValue());
    }
  }
}
