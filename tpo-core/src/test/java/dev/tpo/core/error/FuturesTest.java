package dev.tpo.core.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FuturesTest {

  @Test
  void unwrapStripsNestedCompletionAndExecutionWrappers() {
    ServerErrorException root = new ServerErrorException("busy", 503, "");
    Throwable wrapped = new CompletionException(new ExecutionException(new CompletionException(root)));
    assertThat(Futures.unwrap(wrapped)).isSameAs(root);
    assertThat(Futures.unwrap(root)).isSameAs(root);
    CompletionException bare = new CompletionException("no cause", null);
    assertThat(Futures.unwrap(bare)).isSameAs(bare);
  }

  @Test
  void uncheckedKeepsRuntimeExceptionsThrowsErrorsAndWrapsCheckedOnes() {
    IllegalStateException runtime = new IllegalStateException("x");
    assertThat(Futures.unchecked(new CompletionException(runtime))).isSameAs(runtime);
    IOException checked = new IOException("disk");
    assertThat(Futures.unchecked(new ExecutionException(checked)))
        .isInstanceOf(CompletionException.class).hasCause(checked);
    OutOfMemoryError error = new OutOfMemoryError("heap");
    assertThatThrownBy(() -> Futures.unchecked(new CompletionException(error))).isSameAs(error);
  }

  @Test
  void joinReturnsTheValueOrThrowsTheFailureItself() {
    assertThat(Futures.join(CompletableFuture.completedFuture("ok"))).isEqualTo("ok");
    RateLimitedException limited = new RateLimitedException("slow down", 429, "", null, null);
    CompletableFuture<String> failed = CompletableFuture.failedFuture(limited);
    assertThatThrownBy(() -> Futures.join(failed)).isSameAs(limited);
    CompletableFuture<String> thenFailed = CompletableFuture.completedFuture("a")
        .thenApply(v -> {
          throw limited;
        });
    assertThatThrownBy(() -> Futures.join(thenFailed)).isSameAs(limited);
  }

  @Test
  void anInterruptEndsTheWaitWithTheCallersExceptionAndKeepsTheFlag() {
    CompletableFuture<String> never = new CompletableFuture<>();
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> Futures.join(never,
              e -> new RewardScoringException("interrupted while scoring", e)))
          .isInstanceOf(RewardScoringException.class)
          .hasCauseInstanceOf(InterruptedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
