package dev.tpo.adapter.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The pool's spillover rule on its own, with endpoints whose answers the test completes by hand
 * on a clock it sets: what the measured latencies are is exactly what the test says, so the rule
 * that a slower endpoint's free slot is not taken when waiting would answer sooner is checked
 * without timing. (The loopback behaviour is in {@link BalancedLanguageModelTest}.)
 */
class EndpointPoolTest {
  private static final long MS = 1_000_000L;
  private final AtomicLong now = new AtomicLong();
  /** The requests sent and not answered yet, each with the endpoint it went to. */
  private final List<Pending> pending = new ArrayList<>();

  private record Pending(String endpoint, CompletableFuture<String> answer) {}

  private EndpointPool<String> pool(int spillAfterQueued) {
    List<EndpointPool.Member<String>> members = List.of(
        new EndpointPool.Member<>("fast", "fast"), new EndpointPool.Member<>("slow", "slow"));
    return new EndpointPool<>(members, 2, 3, Duration.ofSeconds(10), 3, true, spillAfterQueued,
        now::get, "test call");
  }

  private CompletableFuture<EndpointPool.Served<String>> send(EndpointPool<String> pool,
      Object run) {
    return pool.submit(run, (target, label) -> {
      CompletableFuture<String> f = new CompletableFuture<>();
      pending.add(new Pending(label, f));
      return f;
    });
  }

  /** Answers every pending request of the endpoint at the current clock. */
  private void answer(String endpoint) {
    for (Pending p : List.copyOf(pending)) {
      if (p.endpoint().equals(endpoint)) {
        pending.remove(p);
        p.answer().complete("ok");
      }
    }
  }

  /** Two requests on each endpoint, answered 500 ms (fast) and 5 s (slow) after they left. */
  private void learnLatencies(EndpointPool<String> pool) {
    for (int i = 0; i < 4; i++) {
      send(pool, "learn-" + i);
    }
    assertThat(pool.status()).extracting(EndpointStatus::inFlight).containsExactly(2, 2);
    now.addAndGet(500 * MS);
    answer("fast");
    now.addAndGet(4500 * MS);
    answer("slow");
  }

  private static int indexOf(EndpointPool<String> pool, String label) {
    return pool.status().stream().map(EndpointStatus::label).toList().indexOf(label);
  }

  @Test
  void movesARunFromTheSlowEndpointsQueueToTheFastOnesFreeSlot() {
    EndpointPool<String> pool = pool(1);
    learnLatencies(pool);
    // fill the slow endpoint with run "a" (it goes where run "b" is not), one of it queued there
    send(pool, "b");
    String bOn = pending.get(0).endpoint();
    String aOn = bOn.equals("fast") ? "slow" : "fast";
    send(pool, "a");
    send(pool, "a");
    send(pool, "a");
    assertThat(pool.status().get(indexOf(pool, aOn)).queued()).isEqualTo(1);
    assertThat(pool.status().get(indexOf(pool, bOn)).inFlight()).isEqualTo(1);

    CompletableFuture<EndpointPool.Served<String>> moved = send(pool, "a");
    if (aOn.equals("slow")) {
      assertThat(pending.get(pending.size() - 1).endpoint()).isEqualTo("fast");
      assertThat(pool.status().get(indexOf(pool, "fast")).spilledIn()).isEqualTo(1);
      // the run follows: its next request waits on the fast endpoint
      send(pool, "a");
      assertThat(pool.status().get(indexOf(pool, "fast")).queued()).isEqualTo(1);
      assertThat(pool.status().get(indexOf(pool, "slow")).queued()).isEqualTo(1);
    } else {
      // the slow endpoint's free slot (5 s) answers after the fast one's queue (~1 s)
      assertThat(pool.status().get(indexOf(pool, "fast")).queued()).isEqualTo(2);
      assertThat(pool.status()).extracting(EndpointStatus::spilledIn).containsOnly(0L);
    }
    answer("fast");
    answer("fast");
    answer("slow");
    answer("fast");
    assertThat(moved.join().endpoint()).isEqualTo("fast");
  }

  @Test
  void takesNoSlowerFreeSlotWhenWaitingOnTheFastEndpointAnswersSooner() {
    EndpointPool<String> pool = pool(0);
    learnLatencies(pool);
    send(pool, "b");
    String bOn = pending.get(0).endpoint();
    // put run "a" on the fast endpoint whatever "b" took: with "b" on the fast one, "a" starts
    // on the slow one and moves to the fast one's free slot at once (waiting 5 s vs 0.5 s)
    send(pool, "a");
    if (bOn.equals("fast")) {
      send(pool, "a");
      send(pool, "a"); // slow endpoint full, nothing queued: spillAfterQueued(0) moves it
      assertThat(pool.status().get(indexOf(pool, "fast")).spilledIn()).isEqualTo(1);
      answer("fast"); // b and the moved request
      answer("slow"); // both endpoints free again, "a" pinned to the fast one
      send(pool, "a");
    }
    while (pool.status().get(indexOf(pool, "fast")).inFlight() < 2) {
      send(pool, "a");
    }
    assertThat(pool.status().get(indexOf(pool, "slow")).inFlight()).as("a free slow slot")
        .isLessThan(2);
    long spilledToSlow = pool.status().get(indexOf(pool, "slow")).spilledIn();
    send(pool, "a"); // the fast endpoint is full: wait there (~0.75 s) rather than 5 s
    assertThat(pool.status().get(indexOf(pool, "fast")).queued()).isEqualTo(1);
    assertThat(pool.status().get(indexOf(pool, "slow")).spilledIn()).isEqualTo(spilledToSlow);
  }

  @Test
  void keepsTheRunOnItsEndpointWithSpilloverOff() {
    EndpointPool<String> pool = pool(-1);
    learnLatencies(pool);
    send(pool, "b");
    String bOn = pending.get(0).endpoint();
    String aOn = bOn.equals("fast") ? "slow" : "fast";
    for (int i = 0; i < 5; i++) {
      send(pool, "a");
    }
    assertThat(pool.status().get(indexOf(pool, aOn)).inFlight()).isEqualTo(2);
    assertThat(pool.status().get(indexOf(pool, aOn)).queued()).isEqualTo(3);
    assertThat(pool.status().get(indexOf(pool, bOn)).inFlight()).isEqualTo(1);
    assertThat(pool.status()).extracting(EndpointStatus::spilledIn).containsOnly(0L);
    assertThat(pending).extracting(Pending::endpoint).containsOnly(aOn, bOn);
  }
}
