package dev.tpo.benchmarks;

import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.ScoredBatch;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a scorer and, while armed, holds every run at its last scoring round (the third scoring
 * call for a prompt), so that runs stay in flight with nearly all their state; {@link #release()}
 * lets them finish.
 *
 * <p>Thread-safe.
 */
final class GateScorer implements RewardScorer {
  private final RewardScorer delegate;
  private final int holdAtCall;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final CompletableFuture<Void> gate = new CompletableFuture<>();
  private volatile boolean armed;

  GateScorer(RewardScorer delegate, int holdAtCall) {
    this.delegate = delegate;
    this.holdAtCall = holdAtCall;
  }

  /** Starts holding runs. */
  void arm() {
    calls.clear();
    armed = true;
  }

  /** @return how many runs are held now */
  int waiting() {
    return waiting.get();
  }

  /** Lets every held run go on, and holds no more. */
  void release() {
    armed = false;
    gate.complete(null);
  }

  @Override
  public ScoredBatch scoreAll(String prompt, List<String> responses) {
    if (armed && calls.computeIfAbsent(prompt, p -> new AtomicInteger()).incrementAndGet()
        == holdAtCall) {
      waiting.incrementAndGet();
      gate.join();
      waiting.decrementAndGet();
    }
    return delegate.scoreAll(prompt, responses);
  }

  @Override
  public String name() {
    return delegate.name();
  }
}
