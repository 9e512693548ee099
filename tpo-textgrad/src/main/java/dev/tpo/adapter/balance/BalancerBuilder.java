package dev.tpo.adapter.balance;

import dev.tpo.core.error.ConfigurationException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The settings both balancers share: the endpoints, the per-endpoint concurrency cap, when an
 * endpoint is taken out and probed again, and how often a failed request is sent again. Not
 * thread-safe; a built balancer does not change when its builder does.
 *
 * @param <E> what an endpoint is
 * @param <B> the concrete builder
 */
public abstract class BalancerBuilder<E, B extends BalancerBuilder<E, B>> {
  final Map<String, E> endpoints = new LinkedHashMap<>();
  int maxConcurrentPerEndpoint = 32;
  int ejectAfterFailures = 3;
  Duration probeAfter = Duration.ofSeconds(10);
  Integer maxAttempts;
  Integer spillAfterQueued;
  boolean closeEndpoints = true;
  LongSupplier nanoTime = System::nanoTime;

  /** For subclasses. */
  BalancerBuilder() {}

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * Adds an endpoint.
   *
   * @param label what identifies it in progress, logs and traces (its base URL; never a
   *     credential); unique
   * @param endpoint the endpoint
   * @return this builder
   */
  public B endpoint(String label, E endpoint) {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(endpoint, label);
    if (endpoints.putIfAbsent(label, endpoint) != null) {
      throw new ConfigurationException("endpoint '" + label + "' was added twice; give each"
          + " endpoint its own base URL");
    }
    return self();
  }

  /**
   * The most requests in flight on one endpoint (its server's slots, for example vLLM's
   * {@code --max-num-seqs} divided by the samples per request); further requests for it wait.
   * Defaults to 32.
   *
   * @param cap at least 1
   * @return this builder
   */
  public B maxConcurrentPerEndpoint(int cap) {
    this.maxConcurrentPerEndpoint = cap;
    return self();
  }

  /**
   * Consecutive connection failures or 5xx answers after which an endpoint is taken out.
   * Defaults to 3.
   *
   * @param failures at least 1
   * @return this builder
   */
  public B ejectAfterFailures(int failures) {
    this.ejectAfterFailures = failures;
    return self();
  }

  /**
   * How long an endpoint stays out before one request probes it (half-open). Defaults to 10 s.
   *
   * @param delay positive
   * @return this builder
   */
  public B probeAfter(Duration delay) {
    this.probeAfter = Objects.requireNonNull(delay, "probeAfter");
    return self();
  }

  /**
   * How many endpoints one request may try before its failure is reported. Defaults to twice the
   * number of endpoints, at least 3.
   *
   * @param attempts at least 1
   * @return this builder
   */
  public B maxAttempts(int attempts) {
    this.maxAttempts = attempts;
    return self();
  }

  /**
   * Turns on spillover (off by default): when a run's endpoint is at its cap
   * ({@link #maxConcurrentPerEndpoint(int)}) with at least {@code queued} requests already
   * waiting for a slot, and another healthy endpoint that has not failed this request has a free
   * slot, the request goes there instead and the run stays there for its later requests (SGLang's
   * router does the same). An endpoint whose recent latency is longer than the wait plus the
   * answer on the run's own endpoint is not chosen, so a slow replica does not take a fast one's
   * short queue.
   *
   * <p>The trade-off: with spillover off, every request of a run goes to one endpoint while it is
   * healthy, so that server's prefix cache holds the run's earlier prompts; but the servers do
   * not share one queue, and one whose runs are between requests idles while another has a
   * queue. With spillover on, the slots are used more evenly; a run that moves finds a cold
   * prefix cache once (the request that moves prefills its whole prompt on the new server), then
   * is sticky there again. A small {@code queued} moves runs often (more cache misses); a large one
   * rarely. Only a balancer that keeps runs on one endpoint (the {@link BalancedLanguageModel})
   * has anything to spill; the reward balancer already sends each call to the least loaded
   * endpoint.
   *
   * @param queued requests already waiting on the run's endpoint from which its request moves; 0
   *     moves as soon as the endpoint is full; at least 0
   * @return this builder
   */
  public B spillAfterQueued(int queued) {
    this.spillAfterQueued = queued;
    return self();
  }

  /**
   * Whether closing the balancer closes the endpoints that are {@link AutoCloseable}. Defaults to
   * true.
   *
   * @param close true to close them
   * @return this builder
   */
  public B closeEndpoints(boolean close) {
    this.closeEndpoints = close;
    return self();
  }

  /**
   * The clock of ejection and probe times (tests). Defaults to {@link System#nanoTime()}.
   *
   * @param nanoTime a monotonic nanosecond clock
   * @return this builder
   */
  public B nanoTime(LongSupplier nanoTime) {
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    return self();
  }

  /** Validates the settings; called by {@code build()}. */
  void validate(String what) {
    if (endpoints.isEmpty()) {
      throw new ConfigurationException(what + " has no endpoint: add at least one with"
          + " endpoint(label, ...)");
    }
    if (maxConcurrentPerEndpoint < 1) {
      throw new ConfigurationException("maxConcurrentPerEndpoint must be at least 1, got "
          + maxConcurrentPerEndpoint);
    }
    if (ejectAfterFailures < 1) {
      throw new ConfigurationException("ejectAfterFailures must be at least 1, got "
          + ejectAfterFailures);
    }
    if (probeAfter.isNegative() || probeAfter.isZero()) {
      throw new ConfigurationException("probeAfter must be positive, got " + probeAfter);
    }
    if (maxAttempts != null && maxAttempts < 1) {
      throw new ConfigurationException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (spillAfterQueued != null && spillAfterQueued < 0) {
      throw new ConfigurationException("spillAfterQueued must be at least 0, got "
          + spillAfterQueued);
    }
  }

  <T> EndpointPool<T> pool(List<EndpointPool.Member<T>> members, boolean sticky, String what) {
    int attempts = maxAttempts != null ? maxAttempts : Math.max(3, 2 * members.size());
    int spill = sticky && spillAfterQueued != null ? spillAfterQueued : -1;
    return new EndpointPool<>(members, maxConcurrentPerEndpoint, ejectAfterFailures, probeAfter,
        attempts, sticky, spill, nanoTime, what);
  }
}
