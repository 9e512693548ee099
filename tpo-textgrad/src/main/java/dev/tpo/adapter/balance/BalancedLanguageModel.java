package dev.tpo.adapter.balance;

import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.ChoiceListener;
import dev.tpo.core.model.LanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LanguageModel} over several servers of the same model (vLLM data parallel, one server
 * per GPU, several hosts), balanced on the client:
 * <ul>
 *   <li>a run's first request goes to the healthy endpoint with the fewest outstanding requests
 *       (in flight plus waiting) among those with a free slot; when every endpoint is at its cap,
 *       to the one whose queue drains first (outstanding requests times its recent latency), so
 *       a slower replica gets a fair share and no longer queue; and every later request of the same run ({@link RunAffinity})
 *       goes to the same endpoint while it is healthy, so its prefix cache serves the run (unless
 *       spillover is on, {@link BalancerBuilder#spillAfterQueued(int)}: then a request whose
 *       endpoint is full with a queue moves, with its run, to one with a free slot);
 *   <li>at most {@code maxConcurrentPerEndpoint} requests are in flight per endpoint, further ones
 *       wait for a slot of their endpoint without holding a thread;
 *   <li>an endpoint that fails {@code ejectAfterFailures} times in a row with a connection failure
 *       or a 5xx is taken out; after {@code probeAfter} one request probes it (half-open): a
 *       success brings it back, a failure keeps it out for another {@code probeAfter};
 *   <li>a request that failed on its endpoint that way is sent again to another endpoint (up to
 *       {@code maxAttempts} endpoints), so no request is lost while one server dies; requests
 *       waiting for a slot of an endpoint that was taken out go elsewhere. A 429 is sent to
 *       another healthy endpoint without counting against the busy one. Other failures (a bad
 *       request, authentication) are reported as they are.
 * </ul>
 * Its responses report {@code <server's model>@<endpoint>} as their model, and {@link
 * #servedBy(ChatResponse)} returns it, so a run's trace ({@code CallRecord.model}) names the
 * endpoint that served each request. {@link #endpoints()} gives each endpoint's load and state.
 *
 * <pre>{@code
 * BalancedLanguageModel policy = BalancedLanguageModel.builder()
 *     .endpoint(OpenAiCompatibleModel.builder().baseUrl("http://gpu0:8000/v1").model(m).build())
 *     .endpoint(OpenAiCompatibleModel.builder().baseUrl("http://gpu1:8000/v1").model(m).build())
 *     .maxConcurrentPerEndpoint(64)
 *     .build();
 * }</pre>
 *
 * <p>Build the endpoints' adapters with few or no retries of their own ({@code maxRetries(0)}),
 * so that a dead server is left at once for another one.
 *
 * <p>Thread-safe: share one instance; {@link #close()} closes the endpoints.
 */
public final class BalancedLanguageModel implements LanguageModel, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BalancedLanguageModel.class);
  private final EndpointPool<LanguageModel> pool;
  private final String name;
  private final boolean closeEndpoints;

  private BalancedLanguageModel(Builder b) {
    List<EndpointPool.Member<LanguageModel>> members = new ArrayList<>();
    for (Map.Entry<String, LanguageModel> e : b.endpoints.entrySet()) {
      members.add(new EndpointPool.Member<>(e.getKey(), e.getValue()));
    }
    this.pool = b.pool(members, true, "chat completion");
    this.name = members.get(0).target.name();
    this.closeEndpoints = b.closeEndpoints;
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
    Objects.requireNonNull(request, "request");
    return pool.submit(RunAffinity.current(), (model, label) -> model.chatAsync(request))
        .thenApply(served -> {
          ChatResponse r = served.value();
          String model = r.model().isEmpty() ? name : r.model();
          return new ChatResponse(r.choices(), r.usage(), model + "@" + served.endpoint());
        });
  }

  /**
   * Sends the request to one endpoint, as {@link #chatAsync(ChatRequest)}, passing the listener to
   * that endpoint's model (a streaming one reports choices as they finish); each choice index is
   * heard once even when the request moves to another endpoint.
   *
   * @param request the request
   * @param listener hears each finished choice
   * @return the response, named by its endpoint
   */
  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request,
      ChoiceListener listener) {
    Objects.requireNonNull(request, "request");
    ChoiceListener.OncePerChoice once = ChoiceListener.oncePerChoice(
        Objects.requireNonNull(listener, "listener"));
    return pool.submit(RunAffinity.current(), (model, label) -> model.chatAsync(request, once))
        .thenApply(served -> {
          ChatResponse r = served.value();
          String model = r.model().isEmpty() ? name : r.model();
          return once.reportRest(
              new ChatResponse(r.choices(), r.usage(), model + "@" + served.endpoint()));
        });
  }

  /**
   * Names the endpoint that served a response of this model.
   *
   * @param response a response this model returned
   * @return {@code <server's model>@<endpoint label>}
   */
  @Override
  public String servedBy(ChatResponse response) {
    return response.model().isEmpty() ? name : response.model();
  }

  /** @return the first endpoint's model name (every endpoint serves the same model) */
  @Override
  public String name() {
    return name;
  }

  /** @return a snapshot of each endpoint's load and state, in the order they were added */
  public List<EndpointStatus> endpoints() {
    return pool.status();
  }

  /** Closes the endpoints that are {@link AutoCloseable}, unless told not to. Idempotent. */
  @Override
  public void close() {
    if (!closeEndpoints) {
      return;
    }
    for (EndpointPool.Member<LanguageModel> m : pool.members()) {
      if (m.target instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.warn("closing the endpoint {} failed: {}", m.label, e.toString());
        }
      }
    }
  }

  @Override
  public String toString() {
    return "BalancedLanguageModel" + pool.status().stream().map(EndpointStatus::label).toList();
  }

  /**
   * Builds a {@link BalancedLanguageModel}; {@link #build()} validates every field. Not
   * thread-safe.
   */
  public static final class Builder extends BalancerBuilder<LanguageModel, Builder> {
    private Builder() {}

    /**
     * Adds an OpenAI-compatible endpoint, labelled with its API root.
     *
     * @param model the endpoint's adapter
     * @return this builder
     */
    public Builder endpoint(OpenAiCompatibleModel model) {
      return endpoint(model.apiRoot(), model);
    }

    /**
     * Validates and builds.
     *
     * @return the balanced model
     * @throws dev.tpo.core.error.ConfigurationException naming the bad setting
     */
    public BalancedLanguageModel build() {
      validate("BalancedLanguageModel");
      return new BalancedLanguageModel(this);
    }
  }
}
