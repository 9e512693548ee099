package dev.tpo.adapter.balance;

import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.Futures;
import dev.tpo.core.error.RateLimitedException;
import dev.tpo.core.error.ServerErrorException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing and health logic shared by the balancers: least-outstanding choice under a
 * per-endpoint cap, run stickiness, ejection after consecutive failures with a half-open probe,
 * and failover of a failed request to another endpoint.
 *
 * <p>Thread-safe: one lock guards the routing state; calls to the endpoints are made and
 * completed outside it.
 *
 * @param <T> what an endpoint is (a model, a scorer)
 */
final class EndpointPool<T> {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointPool.class);

  /** One endpoint and its routing state, guarded by the pool's lock. */
  static final class Member<T> {
    final String label;
    final T target;
    final Deque<Runnable> waiting = new ArrayDeque<>();
    EndpointState state = EndpointState.HEALTHY;
    int inFlight;
    int consecutiveFailures;
    long reopenAtNanos;
    long served;
    long failures;
    long ejections;
    /** Requests that left their run's full endpoint for this one (spillover). */
    long spilledIn;
    /** Moving average of the time to a successful answer, 0 until the first one. */
    double latencyNanos;

    Member(String label, T target) {
      this.label = label;
      this.target = target;
    }
  }

  private final List<Member<T>> members;
  private final int cap;
  private final int ejectAfter;
  private final long probeAfterNanos;
  private final int maxAttempts;
  private final boolean sticky;
  /** Queued requests on a run's full endpoint from which it moves to a free one; -1: never. */
  private final int spillAfterQueued;
  private final LongSupplier nanoTime;
  private final String what;
  private final Map<Object, Member<T>> pins = new WeakHashMap<>();
  private int nextTie;

  EndpointPool(List<Member<T>> members, int cap, int ejectAfter, Duration probeAfter,
      int maxAttempts, boolean sticky, int spillAfterQueued, LongSupplier nanoTime, String what) {
    this.members = List.copyOf(members);
    this.cap = cap;
    this.ejectAfter = ejectAfter;
    this.probeAfterNanos = probeAfter.toNanos();
    this.maxAttempts = maxAttempts;
    this.sticky = sticky;
    this.spillAfterQueued = spillAfterQueued;
    this.nanoTime = nanoTime;
    this.what = what;
  }

  List<Member<T>> members() {
    return members;
  }

  /**
   * Sends one call through the pool.
   *
   * @param key the run key (for stickiness)
   * @param call makes the call on one endpoint
   * @param <R> the result type
   * @return the result, paired with the endpoint that served it
   */
  <R> CompletableFuture<Served<R>> submit(Object key,
      BiFunction<T, String, CompletableFuture<R>> call) {
    CompletableFuture<Served<R>> result = new CompletableFuture<>();
    attempt(key, call, result, new HashSet<>(), 1, null);
    return result;
  }

  /**
   * A result and the label of the endpoint that served it.
   *
   * @param value the result
   * @param endpoint the endpoint's label
   * @param <R> the result type
   */
  record Served<R>(R value, String endpoint) {}

  private <R> void attempt(Object key, BiFunction<T, String, CompletableFuture<R>> call,
      CompletableFuture<Served<R>> result, Set<Member<T>> failedOn, int attempt,
      Throwable lastFailure) {
    Member<T> m;
    boolean probe;
    boolean startNow;
    Runnable start;
    synchronized (this) {
      m = choose(key, failedOn);
      probe = m.state == EndpointState.EJECTED;
      if (probe) {
        m.state = EndpointState.PROBING; // half-open: this request is the probe
      }
      Member<T> chosen = m;
      boolean isProbe = probe;
      start = () -> send(key, call, result, failedOn, attempt, chosen, isProbe);
      startNow = probe || m.inFlight < cap;
      if (startNow) {
        m.inFlight++;
      } else {
        m.waiting.add(start);
      }
    }
    if (startNow) {
      start.run();
    }
  }

  private <R> void send(Object key, BiFunction<T, String, CompletableFuture<R>> call,
      CompletableFuture<Served<R>> result, Set<Member<T>> failedOn, int attempt, Member<T> m,
      boolean probe) {
    if (!probe) {
      boolean reroute;
      synchronized (this) {
        reroute = m.state != EndpointState.HEALTHY && healthyExists(failedOn);
      }
      if (reroute) { // it was taken out while this request waited for a slot
        release(m);
        attempt(key, call, result, failedOn, attempt, null);
        return;
      }
    }
    long startNanos = nanoTime.getAsLong();
    CompletableFuture<R> started;
    try {
      started = call.apply(m.target, m.label);
    } catch (RuntimeException e) {
      started = CompletableFuture.failedFuture(e);
    }
    started.whenComplete((value, error) -> {
      Throwable cause = unwrap(error);
      if (cause == null) {
        observe(m, nanoTime.getAsLong() - startNanos);
        succeeded(m);
        release(m);
        result.complete(new Served<>(value, m.label));
      } else if (endpointFailure(cause)) {
        failed(m, probe, cause);
        release(m);
        if (attempt >= maxAttempts) {
          result.completeExceptionally(cause);
        } else {
          failedOn.add(m);
          LOG.info("{} at {} failed ({}); sending the request again to another endpoint"
              + " (attempt {} of {})", what, m.label, cause.getClass().getSimpleName(),
              attempt + 1, maxAttempts);
          attempt(key, call, result, failedOn, attempt + 1, cause);
        }
      } else if (cause instanceof RateLimitedException && attempt < maxAttempts
          && healthyExists(Set.of(m))) {
        succeeded(m); // alive but busy: another endpoint may have room
        release(m);
        failedOn.add(m);
        attempt(key, call, result, failedOn, attempt + 1, cause);
      } else {
        succeeded(m); // the server answered: it is alive, the request was at fault
        release(m);
        result.completeExceptionally(cause);
      }
    });
  }

  /** Picks the endpoint for one attempt; guarded by the lock. */
  private Member<T> choose(Object key, Set<Member<T>> failedOn) {
    long now = nanoTime.getAsLong();
    if (sticky) {
      Member<T> pinned = pins.get(key);
      if (pinned != null && pinned.state == EndpointState.HEALTHY && !failedOn.contains(pinned)) {
        Member<T> spill = spillTarget(pinned, failedOn);
        if (spill == null) {
          return pinned;
        }
        spill.spilledIn++;
        pins.put(key, spill); // the run follows: its later requests find their prefix there
        return spill;
      }
    }
    // An ejected endpoint whose probe time has come gets this request as its probe.
    for (Member<T> m : members) {
      if (m.state == EndpointState.EJECTED && now - m.reopenAtNanos >= 0
          && !failedOn.contains(m)) {
        return m;
      }
    }
    Member<T> best = leastOutstanding(m -> m.state == EndpointState.HEALTHY
        && !failedOn.contains(m));
    if (best == null) { // every healthy one failed this request already: any healthy one
      best = leastOutstanding(m -> m.state == EndpointState.HEALTHY);
    }
    if (best == null) { // none healthy: the one that comes back soonest, as a probe
      best = members.get(0);
      for (Member<T> m : members) {
        if (m.state == EndpointState.EJECTED
            && (best.state != EndpointState.EJECTED || m.reopenAtNanos < best.reopenAtNanos)) {
          best = m;
        }
      }
      if (best.state == EndpointState.PROBING) {
        return best; // a probe is already out: queue behind it as an ordinary request
      }
    }
    if (sticky && best.state == EndpointState.HEALTHY) {
      pins.put(key, best);
    }
    return best;
  }

  /**
   * Where a run's request goes instead of its pinned endpoint, or null to stay: only with
   * spillover on, when the pinned endpoint is at its cap with at least {@code spillAfterQueued}
   * requests waiting, to the healthy endpoint with a free slot (not failed for this request) and
   * the fewest outstanding requests, and only if that one is expected to answer sooner: its
   * recent latency below the pinned one's latency plus the wait for one of its slots (the
   * requests ahead, this one included, over the cap). Unknown latencies do not hold it back.
   */
  private Member<T> spillTarget(Member<T> pinned, Set<Member<T>> failedOn) {
    if (spillAfterQueued < 0 || pinned.inFlight < cap
        || pinned.waiting.size() < spillAfterQueued) {
      return null;
    }
    Member<T> free = leastOutstanding(m -> m != pinned && m.state == EndpointState.HEALTHY
        && !failedOn.contains(m) && m.inFlight < cap);
    if (free == null) {
      return null;
    }
    if (free.latencyNanos > 0 && pinned.latencyNanos > 0) {
      double stay = pinned.latencyNanos * (1 + (pinned.waiting.size() + 1) / (double) cap);
      if (free.latencyNanos >= stay) {
        return null; // a slow endpoint's free slot answers later than waiting here
      }
    }
    return free;
  }

  /**
   * The eligible endpoint with the fewest outstanding requests among those with a free slot; when
   * every one is at its cap, the one whose queue drains first (outstanding requests times its
   * recent latency), so a slow endpoint does not collect a queue as long as a fast one's. Ties go
   * round the endpoints.
   */
  private Member<T> leastOutstanding(java.util.function.Predicate<Member<T>> eligible) {
    Member<T> best = null;
    double bestLoad = Double.MAX_VALUE;
    boolean bestFree = false;
    boolean latencyKnown = true;
    for (Member<T> m : members) {
      latencyKnown &= !eligible.test(m) || m.latencyNanos > 0;
    }
    int n = members.size();
    int offset = nextTie++ & Integer.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      Member<T> m = members.get((offset + i) % n);
      if (!eligible.test(m)) {
        continue;
      }
      boolean free = m.inFlight < cap;
      int outstanding = m.inFlight + m.waiting.size();
      double load = free || !latencyKnown ? outstanding : (outstanding + 1) * m.latencyNanos;
      if (best == null || (free && !bestFree) || (free == bestFree && load < bestLoad)) {
        best = m;
        bestLoad = load;
        bestFree = free;
      }
    }
    return best;
  }

  private synchronized boolean healthyExists(Set<Member<T>> failedOn) {
    for (Member<T> m : members) {
      if (m.state == EndpointState.HEALTHY && !failedOn.contains(m)) {
        return true;
      }
    }
    return false;
  }

  private void release(Member<T> m) {
    Runnable next;
    synchronized (this) {
      next = m.waiting.poll();
      if (next == null) {
        m.inFlight--;
      }
    }
    if (next != null) {
      next.run();
    }
  }

  private synchronized void observe(Member<T> m, long nanos) {
    m.latencyNanos = m.latencyNanos == 0 ? Math.max(1, nanos) : 0.8 * m.latencyNanos + 0.2 * nanos;
  }

  private synchronized void succeeded(Member<T> m) {
    m.served++;
    m.consecutiveFailures = 0;
    if (m.state != EndpointState.HEALTHY) {
      LOG.info("{} at {} answered its probe; it is back in", what, m.label);
      m.state = EndpointState.HEALTHY;
    }
  }

  private void failed(Member<T> m, boolean probe, Throwable cause) {
    synchronized (this) {
      m.failures++;
      m.consecutiveFailures++;
      boolean eject = probe || m.state == EndpointState.PROBING
          || (m.state == EndpointState.HEALTHY && m.consecutiveFailures >= ejectAfter);
      if (!eject) {
        return;
      }
      if (m.state == EndpointState.HEALTHY) {
        m.ejections++;
      }
      m.state = EndpointState.EJECTED;
      m.reopenAtNanos = nanoTime.getAsLong() + probeAfterNanos;
    }
    LOG.warn("{} at {} taken out after {} consecutive failure(s) (last: {}); probing it again in"
        + " {} ms", what, m.label, m.consecutiveFailures, cause.toString(),
        probeAfterNanos / 1_000_000);
  }

  /** Connection failures and 5xx count against the endpoint and are worth another endpoint. */
  static boolean endpointFailure(Throwable t) {
    return t instanceof ConnectionFailedException || t instanceof ServerErrorException;
  }

  private static Throwable unwrap(Throwable t) {
    return Futures.unwrap(t);
  }

  synchronized List<EndpointStatus> status() {
    List<EndpointStatus> out = new ArrayList<>();
    for (Member<T> m : members) {
      out.add(new EndpointStatus(m.label, m.state, m.inFlight, m.waiting.size(), m.served,
          m.failures, m.ejections, m.spilledIn));
    }
    return Collections.unmodifiableList(out);
  }
}
