package dev.tpo.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AsyncLimiterTest {

  @Test
  void startsAtMostTheLimitAndTheRestInOrderAsSlotsFree() {
    AsyncLimiter limiter = new AsyncLimiter(2);
    List<CompletableFuture<Integer>> pending = new ArrayList<>();
    List<Integer> started = new ArrayList<>();
    List<CompletableFuture<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int id = i;
      CompletableFuture<Integer> op = new CompletableFuture<>();
      pending.add(op);
      results.add(limiter.submit(() -> {
        started.add(id);
        return op;
      }));
    }
    assertThat(started).containsExactly(0, 1);

    pending.get(1).complete(1);
    assertThat(started).containsExactly(0, 1, 2);
    pending.get(0).completeExceptionally(new IllegalStateException("boom"));
    assertThat(started).as("a failure frees its slot too").containsExactly(0, 1, 2, 3);
    pending.get(2).complete(2);
    pending.get(3).complete(3);
    pending.get(4).complete(4);

    assertThat(started).containsExactly(0, 1, 2, 3, 4);
    assertThat(results.get(4).join()).isEqualTo(4);
    assertThatThrownBy(() -> results.get(0).get()).isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("boom");
    assertThat(limiter.peakInFlight()).isEqualTo(2);
  }

  @Test
  void anOperationThatThrowsWhileStartingFreesItsSlot() {
    AsyncLimiter limiter = new AsyncLimiter(1);
    CompletableFuture<Object> failed = limiter.submit(() -> {
      throw new IllegalArgumentException("bad request");
    });
    assertThat(failed).isCompletedExceptionally();
    assertThat(limiter.submit(() -> CompletableFuture.completedFuture("next")).join())
        .isEqualTo("next");
  }

  @Test
  void refusesALimitBelowOne() {
    assertThatThrownBy(() -> new AsyncLimiter(0)).hasMessageContaining("got 0");
  }
}
