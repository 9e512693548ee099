package dev.tpo.adapter.openai;

import com.openai.core.Sleeper;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Adapts a {@link RetrySleeper} to the SDK's {@link Sleeper}. Thread-safe if the delegate is. */
final class SdkSleeper implements Sleeper {
  private final RetrySleeper delegate;

  SdkSleeper(RetrySleeper delegate) {
    this.delegate = delegate;
  }

  @Override
  public void sleep(Duration duration) {
    try {
      delegate.sleepAsync(duration).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("retry sleeper failed", e.getCause());
    }
  }

  @Override
  public CompletableFuture<Void> sleepAsync(Duration duration) {
    return delegate.sleepAsync(duration);
  }

  @Override
  public void close() {
    // Nothing to release: the delegate owns no threads of ours.
  }
}
