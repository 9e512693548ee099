package dev.tpo.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A simulated OpenAI-compatible server with reward endpoints, on a real loopback HTTP port: the
 * fixture that tests, the reliability suite, the CLI's end-to-end test and the benchmarks talk to.
 *
 * <p>Paths:
 * <ul>
 *   <li>{@code POST /v1/chat/completions}: OpenAI chat completions; {@code n} handled per
 *       {@link NMode}; texts from a {@link ChatResponder} (deterministic by default), wrapped in
 *       {@code <NEW_VALUE>...</NEW_VALUE>} when a message contains the start tag; {@code max_tokens}
 *       cuts texts and reports {@code finish_reason = "length"}; an unknown model answers 404 in
 *       OpenAI's error format. With {@code stream=true} the answer is streamed as server-sent
 *       events, choices interleaved token by token ({@link ChatStream}), handled per {@link
 *       StreamMode}.
 *   <li>{@code GET /v1/models}: the configured model names.
 *   <li>{@code POST /pooling}, {@code POST /classify} (vLLM) and {@code POST /predict}
 *       (text-embeddings-inference): scores from a {@link RewardFunction}.
 *   <li>{@code GET /sim/stats}, {@code POST /sim/reset} and {@code POST /sim/config} (JSON fields
 *       {@code latencyMs}, {@code tokenDelayMicros}, {@code rewardLatencyMs},
 *       {@code slowProbability}, {@code slowFactor}, {@code nMode}, {@code streamMode}): control paths for a server run as a separate
 *       process; they are not counted.
 * </ul>
 * Latency: a chat request is answered {@code latency + longestChoiceTokens * tokenDelay +
 * uncachedPromptTokens * prefillDelay} after it arrived (with {@link Builder#prefixCacheBlocks}, a
 * {@link PrefixCache} decides which prompt tokens are cached, reported as {@code
 * usage.prompt_tokens_details.cached_tokens}); a reward request {@code rewardLatency + inputs * rewardItemDelay}; tokens are four
 * characters each. The simulator's own work on a request counts within that time.
 * Faults are scripted per path with {@link #faults(String)}.
 *
 * <p>Standalone, it also answers the judge scorer's rating requests with ratings ({@link
 * ChatResponder#grading}), so {@code tpo run} works against it with its default reward. Usage:
 * {@code java -cp <tpo-textgrad test classes + dependencies>
 * dev.tpo.simulator.SimulatedOpenAiServer [--port 0] [--latency-ms 0] [--token-delay-us 0]
 * [--reward-latency-ms 0] [--models sim-model,other] [--reward-models sim-reward]
 * [--n-mode honor|refuse|ignore] [--stream-mode honor|refuse-n|first-only] [--words 40] [--seed 42] [--api-key KEY]
 * [--slow-probability 0] [--slow-factor 10] [--fault-probability 0] [--fault-status 503]
 * [--prefix-cache-blocks 0] [--prefill-delay-us 0]
 * [--exit-on-stdin-eof]} prints {@code SimulatedOpenAiServer listening on http://127.0.0.1:PORT}
 * on its first line of standard output and serves until killed (or until standard input ends with
 * {@code --exit-on-stdin-eof}).
 *
 * <p>Thread-safe. Handles requests on an unbounded pool of daemon threads, so hundreds of
 * requests can be in flight at once. Close it to stop the server and interrupt waiting requests.
 */
public final class SimulatedOpenAiServer implements AutoCloseable {
  /** The chat-completions path. */
  public static final String CHAT_PATH = "/v1/chat/completions";
  /** The model-list path. */
  public static final String MODELS_PATH = "/v1/models";
  /** vLLM's pooling path. */
  public static final String POOLING_PATH = "/pooling";
  /** vLLM's classification path. */
  public static final String CLASSIFY_PATH = "/classify";
  /** text-embeddings-inference's prediction path. */
  public static final String PREDICT_PATH = "/predict";
  static final Set<String> REWARD_PATHS = Set.of(POOLING_PATH, CLASSIFY_PATH, PREDICT_PATH);

  static {
    // Read once, when the JDK's server implementation initialises, so set before the first server.
    // Without nodelay the JDK server adds ~40 ms per response (Nagle + delayed ACK); with its
    // default limit of 200 idle connections it closes kept-alive connections that clients still
    // pool once hundreds of requests are in flight, and they fail with "unexpected end of stream".
    setIfAbsent("sun.net.httpserver.nodelay", "true");
    setIfAbsent("sun.net.httpserver.maxIdleConnections", "100000");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  private final HttpServer http;
  private final ExecutorService executor;
  final Builder config;
  final ChatEndpoint chat = new ChatEndpoint(this);
  final RewardEndpoints rewards = new RewardEndpoints(this);
  final ControlEndpoint control = new ControlEndpoint(this);
  final Map<String, FaultPlan> plans = new ConcurrentHashMap<>();
  final Map<String, AtomicLong> perPath = new ConcurrentHashMap<>();
  final Map<String, AtomicLong> delayByPath = new ConcurrentHashMap<>();
  final Map<String, Long> firstArrival = new ConcurrentHashMap<>();
  final ConcurrentLinkedQueue<RecordedRequest> recorded = new ConcurrentLinkedQueue<>();
  final AtomicLong sequence = new AtomicLong();
  final AtomicLong total = new AtomicLong();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicLong faultBaseline = new AtomicLong();
  /** When the request served by the current handler thread arrived (System.nanoTime). */
  private final ThreadLocal<Long> arrivalNanos = ThreadLocal.withInitial(System::nanoTime);
  private volatile long latencyNanos;
  private volatile long tokenDelayNanos;
  private volatile long rewardLatencyNanos;
  private volatile NMode nMode;
  private volatile StreamMode streamMode;
  /** The prefix-cache model (issue 19), or null when off; totals of chat prompt tokens. */
  private final PrefixCache prefixCache;
  final AtomicLong promptTokens = new AtomicLong();
  final AtomicLong cachedTokens = new AtomicLong();

  private SimulatedOpenAiServer(Builder b) throws IOException {
    this.config = b.copy();
    this.latencyNanos = b.latency.toNanos();
    this.tokenDelayNanos = b.tokenDelay.toNanos();
    this.rewardLatencyNanos = b.rewardLatency.toNanos();
    this.nMode = b.nMode;
    this.streamMode = b.streamMode;
    this.prefixCache = b.prefixCacheBlocks > 0 ? new PrefixCache(b.prefixCacheBlocks) : null;
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "sim-openai-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.http = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), b.backlog);
    http.createContext("/", new RequestHandler(this)::handle);
    http.setExecutor(executor);
    http.start();
  }

  /**
   * A builder with every default.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a server with every default on an ephemeral port.
   *
   * @return the running server
   */
  public static SimulatedOpenAiServer start() {
    return builder().start();
  }

  /**
   * Runs the server as a standalone process; see the class Javadoc for the arguments.
   *
   * @param args the command-line arguments
   * @throws Exception when the arguments are invalid or the port is taken
   */
  public static void main(String[] args) throws Exception {
    int status = SimulatorCommandLine.main(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** @return the port the server listens on */
  public int port() {
    return http.getAddress().getPort();
  }

  /** @return {@code http://127.0.0.1:PORT}, the base of the reward paths */
  public String baseUrl() {
    return "http://" + http.getAddress().getAddress().getHostAddress() + ":" + port();
  }

  /** @return {@code http://127.0.0.1:PORT/v1}, the base URL for OpenAI clients */
  public String openAiBaseUrl() {
    return baseUrl() + "/v1";
  }

  /**
   * The fault plan of one path (created empty on first use).
   *
   * @param path for example {@link #CHAT_PATH} or {@link #POOLING_PATH}
   * @return the plan
   */
  public FaultPlan faults(String path) {
    return plans.computeIfAbsent(path, p -> new FaultPlan(config.seed ^ p.hashCode()));
  }

  /** @return the fault plan of {@link #CHAT_PATH} */
  public FaultPlan chatFaults() {
    return faults(CHAT_PATH);
  }

  /** @return a snapshot of the counters */
  public ServerStats stats() {
    Map<String, Long> byPath = new HashMap<>();
    perPath.forEach((k, v) -> byPath.put(k, v.get()));
    Map<String, Long> delays = new HashMap<>();
    delayByPath.forEach((k, v) -> delays.put(k, v.get()));
    long injected = 0;
    for (FaultPlan p : plans.values()) {
      injected += p.injected();
    }
    return new ServerStats(total.get(), inFlight.get(), maxInFlight.get(), byPath,
        injected - faultBaseline.get(), delays, firstArrival);
  }

  /** Zeroes the counters (max in flight restarts from the requests in flight now) and the record. */
  public void resetStats() {
    total.set(0);
    perPath.clear();
    delayByPath.clear();
    firstArrival.clear();
    maxInFlight.set(inFlight.get());
    long injected = 0;
    for (FaultPlan p : plans.values()) {
      injected += p.injected();
    }
    faultBaseline.set(injected);
    recorded.clear();
    promptTokens.set(0);
    cachedTokens.set(0);
  }

  /**
   * The prefix cache, when {@link Builder#prefixCacheBlocks(int)} turned it on.
   *
   * @return the cache, empty when off
   */
  public java.util.Optional<PrefixCache> prefixCache() {
    return java.util.Optional.ofNullable(prefixCache);
  }

  /**
   * Chat prompt tokens received since start or the last {@link #resetStats()}.
   *
   * @return the total
   */
  public long promptTokens() {
    return promptTokens.get();
  }

  /**
   * Of {@link #promptTokens()}, those served from the prefix cache (0 when it is off).
   *
   * @return the total
   */
  public long cachedTokens() {
    return cachedTokens.get();
  }

  /**
   * Passes a chat prompt through the prefix cache: counts its tokens and returns those served
   * from the cache (0 when the cache is off).
   */
  long prefill(String prompt) {
    long cached = prefixCache == null ? 0 : prefixCache.serve(prompt);
    promptTokens.addAndGet(PrefixCache.tokens(prompt));
    cachedTokens.addAndGet(cached);
    return cached;
  }

  /** The simulated prefill time of the prompt tokens not served from the cache. */
  long prefillNanos(long uncachedTokens) {
    return uncachedTokens * config.prefillDelay.toNanos();
  }

  /** @return every recorded request, in arrival order (empty when recording is off) */
  public List<RecordedRequest> requests() {
    return List.copyOf(recorded);
  }

  /**
   * The recorded requests to one path, in arrival order.
   *
   * @param path the path
   * @return the requests
   */
  public List<RecordedRequest> requests(String path) {
    List<RecordedRequest> out = new ArrayList<>();
    for (RecordedRequest r : recorded) {
      if (r.path().equals(path)) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * Changes the base latency of chat requests for the requests that start from now on.
   *
   * @param latency the latency, at least zero
   */
  public void setLatency(Duration latency) {
    this.latencyNanos = Builder.nonNegative(latency, "latency").toNanos();
  }

  /**
   * Changes the delay per generated token of the longest choice.
   *
   * @param delay the delay, at least zero
   */
  public void setTokenDelay(Duration delay) {
    this.tokenDelayNanos = Builder.nonNegative(delay, "tokenDelay").toNanos();
  }

  /**
   * Changes the latency of reward requests.
   *
   * @param latency the latency, at least zero
   */
  public void setRewardLatency(Duration latency) {
    this.rewardLatencyNanos = Builder.nonNegative(latency, "rewardLatency").toNanos();
  }

  /**
   * Changes how {@code n} is treated.
   *
   * @param mode the mode
   */
  public void setNMode(NMode mode) {
    this.nMode = Objects.requireNonNull(mode, "mode");
  }

  /**
   * Changes how a chat request with {@code stream=true} is answered.
   *
   * @param mode the mode
   */
  public void setStreamMode(StreamMode mode) {
    this.streamMode = Objects.requireNonNull(mode, "mode");
  }

  /** Stops listening and interrupts requests still waiting. */
  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "SimulatedOpenAiServer{" + baseUrl() + ", models=" + config.models + "}";
  }

  List<String> models() {
    return config.models;
  }

  List<String> rewardModels() {
    return config.rewardModels;
  }

  boolean answerAnyModel() {
    return config.answerAnyModel;
  }

  boolean rejectResponseFormat() {
    return config.rejectResponseFormat;
  }

  ChatResponder responder() {
    return config.responder;
  }

  RewardFunction rewardFunction() {
    return config.rewardFunction;
  }

  NMode nMode() {
    return nMode;
  }

  StreamMode streamMode() {
    return streamMode;
  }

  int refuseStatus() {
    return config.refuseStatus;
  }

  int maxN() {
    return config.maxN;
  }

  String startTag() {
    return config.startTag;
  }

  String endTag() {
    return config.endTag;
  }

  long latencyNanos() {
    return latencyNanos;
  }

  long tokenDelayNanos() {
    return tokenDelayNanos;
  }

  long rewardLatencyNanos() {
    return rewardLatencyNanos;
  }

  long rewardItemDelayNanos() {
    return config.rewardItemDelay.toNanos();
  }

  /**
   * Waits out the given simulated latency of a path, counting it, measured from the request's
   * arrival: the simulator's own work on the request (reading, parsing, making the answers) is
   * part of the latency, as a real server's is, not added to it. Throws when the server closes.
   */
  void simulate(String path, long nanos) throws InterruptedException {
    if (nanos > 0) {
      delayByPath.computeIfAbsent(path, p -> new AtomicLong()).addAndGet(nanos);
      long sinceArrival = System.nanoTime() - arrivalNanos.get();
      pause(nanos - sinceArrival);
    }
  }

  /** Marks the arrival of the request this thread serves now; latencies count from here. */
  void arrived() {
    arrivalNanos.set(System.nanoTime());
  }

  /** Waits the given time; throws when the server closes meanwhile. */
  void pause(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException("simulated server closed");
      }
    }
  }

  /**
   * Configures a {@link SimulatedOpenAiServer}; {@link #start()} validates and starts it. Not
   * thread-safe.
   */
  public static final class Builder {
    private int port;
    private List<String> models = List.of("sim-model");
    private List<String> rewardModels = List.of("sim-reward");
    private NMode nMode = NMode.HONOR;
    private StreamMode streamMode = StreamMode.HONOR;
    private int refuseStatus = 500;
    private int maxN = 256;
    private ChatResponder responder = ChatResponder.deterministic();
    private RewardFunction rewardFunction = RewardFunction.hashOfResponse();
    private Duration latency = Duration.ZERO;
    private Duration tokenDelay = Duration.ZERO;
    private Duration rewardLatency = Duration.ZERO;
    private Duration rewardItemDelay = Duration.ZERO;
    private long seed = 42;
    private int backlog = 4096;
    private boolean recordRequests = true;
    private String startTag = "<NEW_VALUE>";
    private String endTag = "</NEW_VALUE>";
    private boolean answerAnyModel;
    private boolean rejectResponseFormat;
    private int prefixCacheBlocks;
    private Duration prefillDelay = Duration.ZERO;
    String apiKey;
    boolean recordRequestsFlag() {
      return recordRequests;
    }

    String startTag() {
      return startTag;
    }


    private Builder() {}

    private Builder copy() {
      Builder b = new Builder();
      b.port = port;
      b.backlog = backlog;
      b.models = models;
      b.rewardModels = rewardModels;
      b.nMode = nMode;
      b.streamMode = streamMode;
      b.refuseStatus = refuseStatus;
      b.maxN = maxN;
      b.responder = responder;
      b.rewardFunction = rewardFunction;
      b.latency = latency;
      b.tokenDelay = tokenDelay;
      b.rewardLatency = rewardLatency;
      b.rewardItemDelay = rewardItemDelay;
      b.seed = seed;
      b.recordRequests = recordRequests;
      b.startTag = startTag;
      b.endTag = endTag;
      b.apiKey = apiKey;
      b.answerAnyModel = answerAnyModel;
      b.rejectResponseFormat = rejectResponseFormat;
      b.prefixCacheBlocks = prefixCacheBlocks;
      b.prefillDelay = prefillDelay;
      return b;
    }

    /**
     * The listen backlog: how many connections the kernel queues before the server accepts them
     * (capped by the system, {@code net.core.somaxconn} on Linux). Defaults to 4096. A small one
     * (llama.cpp's {@code llama-server} listens with 5, the JDK's default is 50) makes the kernel
     * drop the SYN of a connection that finds the queue full, and the client sends it again after
     * its initial retransmission timeout, one second on Linux.
     *
     * @param backlog at least 1
     * @return this builder
     */
    public Builder backlog(int backlog) {
      if (backlog < 1) {
        throw new IllegalArgumentException("backlog must be at least 1, got " + backlog);
      }
      this.backlog = backlog;
      return this;
    }

    /**
     * The port to listen on. Defaults to 0 (an ephemeral port).
     *
     * @param port 0 to 65535
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The chat model names served; a chat request for any other answers 404. Defaults to
     * {@code sim-model}.
     *
     * @param names at least one name
     * @return this builder
     */
    public Builder models(String... names) {
      this.models = nonEmpty(List.of(names), "models");
      return this;
    }

    /**
     * The reward model names; a vLLM reward request naming another answers 404. Defaults to
     * {@code sim-reward}.
     *
     * @param names at least one name
     * @return this builder
     */
    public Builder rewardModels(String... names) {
      this.rewardModels = nonEmpty(List.of(names), "rewardModels");
      return this;
    }

    /**
     * How {@code n} is treated. Defaults to {@link NMode#HONOR}.
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder nMode(NMode mode) {
      this.nMode = Objects.requireNonNull(mode, "nMode");
      return this;
    }

    /**
     * How a chat request with {@code stream=true} is answered. Defaults to {@link
     * StreamMode#HONOR}.
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder streamMode(StreamMode mode) {
      this.streamMode = Objects.requireNonNull(mode, "streamMode");
      return this;
    }

    /**
     * The status with which {@link NMode#REFUSE} refuses {@code n > 1}. Defaults to 500 (llama.cpp).
     *
     * @param status 400 to 599
     * @return this builder
     */
    public Builder refuseStatus(int status) {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("refuseStatus must be 400 to 599, got " + status);
      }
      this.refuseStatus = status;
      return this;
    }

    /**
     * The largest {@code n} honoured; a larger one answers 400. Defaults to 256.
     *
     * @param maxN at least 1
     * @return this builder
     */
    public Builder maxN(int maxN) {
      if (maxN < 1) {
        throw new IllegalArgumentException("maxN must be at least 1, got " + maxN);
      }
      this.maxN = maxN;
      return this;
    }

    /**
     * Produces the chat texts. Defaults to {@link ChatResponder#deterministic()}.
     *
     * @param responder the responder
     * @return this builder
     */
    public Builder responder(ChatResponder responder) {
      this.responder = Objects.requireNonNull(responder, "responder");
      return this;
    }

    /**
     * Scores reward requests. Defaults to {@link RewardFunction#hashOfResponse()}.
     *
     * @param function the function
     * @return this builder
     */
    public Builder rewardFunction(RewardFunction function) {
      this.rewardFunction = Objects.requireNonNull(function, "rewardFunction");
      return this;
    }

    /**
     * Base latency of every chat request. Defaults to zero.
     *
     * @param latency at least zero
     * @return this builder
     */
    public Builder latency(Duration latency) {
      this.latency = nonNegative(latency, "latency");
      return this;
    }

    /**
     * Extra latency per token of the longest generated choice. Defaults to zero.
     *
     * @param delay at least zero
     * @return this builder
     */
    public Builder tokenDelay(Duration delay) {
      this.tokenDelay = nonNegative(delay, "tokenDelay");
      return this;
    }

    /**
     * Base latency of every reward request. Defaults to zero.
     *
     * @param latency at least zero
     * @return this builder
     */
    public Builder rewardLatency(Duration latency) {
      this.rewardLatency = nonNegative(latency, "rewardLatency");
      return this;
    }

    /**
     * Extra latency per scored input of a reward request. Defaults to zero.
     *
     * @param delay at least zero
     * @return this builder
     */
    public Builder rewardItemDelay(Duration delay) {
      this.rewardItemDelay = nonNegative(delay, "rewardItemDelay");
      return this;
    }

    /**
     * Seed of the random generators of the fault plans. Defaults to 42.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Whether to keep every received request for {@link SimulatedOpenAiServer#requests()}.
     * Defaults to true; benchmarks turn it off.
     *
     * @param record whether to record
     * @return this builder
     */
    public Builder recordRequests(boolean record) {
      this.recordRequests = record;
      return this;
    }

    /**
     * The update tags. Defaults to {@code <NEW_VALUE>} and {@code </NEW_VALUE>}.
     *
     * @param start the start tag, not blank
     * @param end the end tag, not blank
     * @return this builder
     */
    public Builder updateTags(String start, String end) {
      if (start == null || start.isBlank() || end == null || end.isBlank()) {
        throw new IllegalArgumentException(
            "update tags must not be blank, got start=" + start + ", end=" + end);
      }
      this.startTag = start;
      this.endTag = end;
      return this;
    }

    /**
     * Answers a chat request for any model name, while {@code /v1/models} lists only the {@link
     * #models} (as llama.cpp's {@code llama-server} does, which lists its model file's path).
     * Off by default: an unlisted model answers 404.
     *
     * @param any whether any model name is answered
     * @return this builder
     */
    public Builder answerAnyModel(boolean any) {
      this.answerAnyModel = any;
      return this;
    }

    /**
     * Rejects a chat request that carries {@code response_format} with HTTP 400 "Failed to
     * initialize samplers", as {@code llama-server} does for a strict JSON schema it cannot
     * compile. Off by default: {@code response_format} is ignored.
     *
     * @param reject whether to reject it
     * @return this builder
     */
    public Builder rejectResponseFormat(boolean reject) {
      this.rejectResponseFormat = reject;
      return this;
    }

    /**
     * Models a prefix cache of this many blocks of {@value PrefixCache#BLOCK_TOKENS} tokens (see
     * {@link PrefixCache}): chat responses report {@code usage.prompt_tokens_details.cached_tokens}
     * and only the other prompt tokens pay {@link #prefillDelay(Duration)}. 0 (off) by default.
     *
     * @param blocks 0 (off) or more
     * @return this builder
     */
    public Builder prefixCacheBlocks(int blocks) {
      if (blocks < 0) {
        throw new IllegalArgumentException("prefixCacheBlocks must be >= 0, got " + blocks);
      }
      this.prefixCacheBlocks = blocks;
      return this;
    }

    /**
     * Prefill time per prompt token not served from the prefix cache (every prompt token when the
     * cache is off), added to a chat request's latency. Defaults to zero.
     *
     * @param delay at least zero
     * @return this builder
     */
    public Builder prefillDelay(Duration delay) {
      this.prefillDelay = nonNegative(delay, "prefillDelay");
      return this;
    }

    /**
     * Requires {@code Authorization: Bearer KEY} on every counted path; others answer 401. Off by
     * default.
     *
     * @param key the key, or null for none
     * @return this builder
     */
    public Builder requireApiKey(String key) {
      this.apiKey = key;
      return this;
    }

    /**
     * Starts the server.
     *
     * @return the running server
     * @throws UncheckedIOException when the port cannot be bound
     */
    public SimulatedOpenAiServer start() {
      try {
        return new SimulatedOpenAiServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port
            + " (choose another port, or 0 for an ephemeral one)", e);
      }
    }

    static Duration nonNegative(Duration d, String field) {
      Objects.requireNonNull(d, field);
      if (d.isNegative()) {
        throw new IllegalArgumentException(field + " must be >= 0, got " + d);
      }
      return d;
    }

    private static List<String> nonEmpty(List<String> names, String field) {
      if (names.isEmpty() || names.stream().anyMatch(n -> n == null || n.isBlank())) {
        throw new IllegalArgumentException(field + " must be non-blank names, got " + names);
      }
      return List.copyOf(names);
    }
  }
}
