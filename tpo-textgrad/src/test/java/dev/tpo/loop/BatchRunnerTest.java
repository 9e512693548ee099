package dev.tpo.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.AuthenticationException;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.error.RewardScoringException;
import dev.tpo.core.error.ServerErrorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.lang.ref.WeakReference;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The one many-prompt runner: no barrier, retries after the other items, one outcome each. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BatchRunnerTest {
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private BatchRunner runner(int concurrency, int retries) {
    return BatchRunner.builder().concurrency(concurrency).executor(pool).promptRetries(retries)
        .retryBackoff(Duration.ofMillis(20)).build();
  }

  /**
   * forEach (what {@code tpo run} uses) hands each outcome to the listener and keeps none, so a
   * batch of any size holds only the results in flight; runAll keeps them for its list. Before
   * forEach, the CLI ran through runAll and its heap grew by every finished prompt's texts
   * (10,000-prompt soak: 9 MB to 395 MB after collections).
   */
  @Test
  void forEachKeepsNoOutcomeWhileRunAllKeepsThemForItsList() throws InterruptedException {
    List<Integer> items = List.of(0, 1, 2, 3, 4, 5, 6, 7);
    List<WeakReference<byte[]>> seen = Collections.synchronizedList(new ArrayList<>());
    List<Integer> finished = Collections.synchronizedList(new ArrayList<>());
    BatchRunner.Listener<Integer, byte[]> listener = new BatchRunner.Listener<>() {
      @Override
      public void onFinished(BatchRunner.Outcome<Integer, byte[]> o) {
        seen.add(new WeakReference<>(o.result().orElseThrow()));
        finished.add(o.item());
      }
    };
    CompletableFuture<Void> each = runner(2, 0).forEach(items, i -> new byte[1 << 20], listener);
    each.join();
    assertThat(finished).containsExactlyInAnyOrderElementsOf(items);
    assertThat(awaitCleared(seen)).as("results still reachable after forEach").isZero();

    seen.clear();
    CompletableFuture<List<BatchRunner.Outcome<Integer, byte[]>>> all =
        runner(2, 0).runAll(items, i -> new byte[1 << 20], listener);
    all.join();
    assertThat(awaitCleared(seen)).as("runAll's list holds every result").isEqualTo(items.size());
    assertThat(all.join()).hasSize(items.size());
  }

  /** Collects garbage a few times; returns how many referents are still reachable. */
  private static long awaitCleared(List<WeakReference<byte[]>> refs) throws InterruptedException {
    long alive = refs.size();
    for (int i = 0; i < 10 && alive > 0; i++) {
      System.gc();
      Thread.sleep(50);
      alive = refs.stream().filter(r -> r.get() != null).count();
    }
    return alive;
  }

  @Test
  void aFailedItemIsRetriedAfterEveryFreshItemAndSucceeds() {
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger tries = new AtomicInteger();
    List<BatchRunner.Outcome<Integer, String>> out = runner(1, 2).<Integer, String>runAll(
        List.of(0, 1, 2, 3), i -> {
          order.add("#" + i);
          if (i == 0 && tries.incrementAndGet() == 1) {
            throw new ServerErrorException("HTTP 503", 503, "busy");
          }
          return "r" + i;
        }, null).join();
    assertThat(order).containsExactly("#0", "#1", "#2", "#3", "#0");
    assertThat(out).extracting(o -> o.result().orElseThrow())
        .containsExactly("r0", "r1", "r2", "r3");
    assertThat(out.get(0).attempts()).isEqualTo(2);
    assertThat(out.get(1).attempts()).isEqualTo(1);
  }

  @Test
  void anItemThatFailsEveryTryGetsTheLastFailureAndIsReportedOnceToTheListener() {
    Map<Integer, Integer> finished = new ConcurrentHashMap<>();
    List<Integer> retried = Collections.synchronizedList(new ArrayList<>());
    List<BatchRunner.Outcome<Integer, String>> out = runner(2, 2).<Integer, String>runAll(
        List.of(0, 1), i -> {
          if (i == 1) {
            throw new ConnectionFailedException("down", null);
          }
          return "ok";
        }, new BatchRunner.Listener<>() {
          @Override
          public void onRetryScheduled(int index, Integer item, int attempt, Throwable failure,
              Duration wait) {
            retried.add(attempt);
          }

          @Override
          public void onFinished(BatchRunner.Outcome<Integer, String> o) {
            finished.merge(o.index(), 1, Integer::sum);
          }
        }).join();
    assertThat(out.get(1).error().orElseThrow()).hasMessage("down");
    assertThat(out.get(1).attempts()).isEqualTo(3);
    assertThat(retried).containsExactly(1, 2);
    assertThat(finished).containsEntry(0, 1).containsEntry(1, 1);
  }

  @Test
  void settingsAndBugsAreFinalAtOnceTransientFaultsAreNot() {
    assertThat(BatchRunner.isTransient(new ServerErrorException("x", 503, ""))).isTrue();
    assertThat(BatchRunner.isTransient(new MalformedResponseException("x", "y"))).isTrue();
    assertThat(BatchRunner.isTransient(new RewardScoringException("NaN score"))).isTrue();
    assertThat(BatchRunner.isTransient(new RewardScoringException("scorer bug",
        new IllegalStateException("bug")))).isFalse();
    assertThat(BatchRunner.isTransient(new AuthenticationException("no", 401, ""))).isFalse();
    assertThat(BatchRunner.isTransient(new ConfigurationException("bad"))).isFalse();
    assertThat(BatchRunner.isTransient(new IllegalStateException("bug"))).isFalse();
    AtomicInteger calls = new AtomicInteger();
    List<BatchRunner.Outcome<Integer, String>> out = runner(1, 5).<Integer, String>runAll(
        List.of(0), i -> {
          calls.incrementAndGet();
          throw new ConfigurationException("bad setting");
        }, null).join();
    assertThat(calls).hasValue(1);
    assertThat(out.get(0).succeeded()).isFalse();
  }

  @Test
  void concurrencyIsHeldAndNoItemIsLostOrDoubled() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Map<Integer, Integer> runs = new ConcurrentHashMap<>();
    List<Integer> items = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      items.add(i);
    }
    List<BatchRunner.Outcome<Integer, Integer>> out = runner(8, 3).<Integer, Integer>runAll(
        items, i -> {
          most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          try {
            if (runs.merge(i, 1, Integer::sum) == 1 && i % 7 == 0) {
              throw new ServerErrorException("burst", 503, "");
            }
            return i * 2;
          } finally {
            inFlight.decrementAndGet();
          }
        }, null).join();
    assertThat(most.get()).isLessThanOrEqualTo(8);
    assertThat(out).hasSize(200).allSatisfy(o -> assertThat(o.result()).contains(o.item() * 2));
    assertThat(runs).allSatisfy((i, n) -> assertThat(n).isEqualTo(i % 7 == 0 ? 2 : 1));
  }

  @Test
  void stopStartsNoNewTryAndReportsTheRestAsNotRun() {
    BatchRunner r = runner(1, 2);
    List<BatchRunner.Outcome<Integer, String>> out = r.<Integer, String>runAll(
        List.of(0, 1, 2), i -> {
          if (i == 0) {
            r.stop();
          }
          return "r" + i;
        }, null).join();
    assertThat(out).extracting(BatchRunner.Outcome::notRun).containsExactly(true, true, true);
  }

  @Test
  void badSettingsAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> BatchRunner.builder().concurrency(0))
        .hasMessageContaining("at least 1, got 0");
    assertThatThrownBy(() -> BatchRunner.builder().promptRetries(-1))
        .hasMessageContaining("between 0 and 100, got -1");
    assertThatThrownBy(() -> BatchRunner.builder().retryBackoff(Duration.ofSeconds(-1)))
        .hasMessageContaining("zero or more");
  }
}
