package dev.tpo.simulator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The faults scripted for one path of a {@link SimulatedOpenAiServer}: a queue of one-shot faults,
 * consumed in order by the next requests they apply to, and random faults drawn with a seeded
 * {@link Random} for every request that no queued fault took.
 *
 * <p>Thread-safe: every method synchronises on the plan.
 */
public final class FaultPlan {
  private final LinkedList<Fault> queue = new LinkedList<>();
  private final List<Chance> chances = new ArrayList<>();
  private final Random random;
  private long injected;

  FaultPlan(long seed) {
    this.random = new Random(seed);
  }

  private record Chance(double probability, Fault fault) {}

  /**
   * Queues one-shot faults: each hits the next request it applies to, in order.
   *
   * @param faults the faults
   * @return this plan
   */
  public synchronized FaultPlan enqueue(Fault... faults) {
    for (Fault f : faults) {
      queue.add(Objects.requireNonNull(f, "fault"));
    }
    return this;
  }

  /**
   * Queues the same fault {@code times} times.
   *
   * @param times how many requests it hits, at least 0
   * @param fault the fault
   * @return this plan
   */
  public synchronized FaultPlan enqueue(int times, Fault fault) {
    if (times < 0) {
      throw new IllegalArgumentException("times must be >= 0, got " + times);
    }
    Objects.requireNonNull(fault, "fault");
    for (int i = 0; i < times; i++) {
      queue.add(fault);
    }
    return this;
  }

  /**
   * Injects the fault into each request it applies to with the given probability (drawn from the
   * server's seeded random generator, so a single-threaded run is reproducible).
   *
   * @param probability between 0 and 1
   * @param fault the fault
   * @return this plan
   */
  public synchronized FaultPlan withProbability(double probability, Fault fault) {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability must be between 0 and 1, got " + probability);
    }
    chances.add(new Chance(probability, Objects.requireNonNull(fault, "fault")));
    return this;
  }

  /** Removes every queued and random fault. */
  public synchronized void clear() {
    queue.clear();
    chances.clear();
  }

  /** @return how many queued faults have not hit a request yet */
  public synchronized int pending() {
    return queue.size();
  }

  /** @return how many faults this plan has injected so far */
  public synchronized long injected() {
    return injected;
  }

  /**
   * Picks the fault for a request, if any: the first queued one that applies, else a random one.
   *
   * @param request the request
   * @return the fault, or {@code null}
   */
  synchronized Fault next(RecordedRequest request) {
    for (Iterator<Fault> it = queue.iterator(); it.hasNext(); ) {
      Fault f = it.next();
      if (f.appliesTo(request)) {
        it.remove();
        injected++;
        return f;
      }
    }
    for (Chance c : chances) {
      if (c.fault().appliesTo(request) && random.nextDouble() < c.probability()) {
        injected++;
        return c.fault();
      }
    }
    return null;
  }
}
