package dev.tpo.core.error;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The one place that unwraps the failures of futures: {@link java.util.concurrent.CompletableFuture#join()} wraps them
 * in a {@link CompletionException}, {@link Future#get()} in an {@link ExecutionException}, and
 * callers want the failure itself (a {@link TpoException} with its status, its message, its
 * retryability).
 *
 * <p>Stateless; thread-safe.
 *
 * @see java.util.concurrent.CompletableFuture
 */
public final class Futures {
  private Futures() {}

  /**
   * Strips {@link CompletionException} and {@link ExecutionException} wrappers.
   *
   * @param failure a failure
   * @return the innermost cause that is not such a wrapper (the failure itself when it is none)
   */
  public static Throwable unwrap(Throwable failure) {
    Throwable cur = failure;
    while ((cur instanceof CompletionException || cur instanceof ExecutionException)
        && cur.getCause() != null && cur.getCause() != cur) {
      cur = cur.getCause();
    }
    return cur;
  }

  /**
   * The unwrapped failure, ready to throw from code that declares no checked exception: a {@link
   * RuntimeException} as it is, an {@link Error} thrown at once, a checked exception wrapped in a
   * {@link CompletionException}.
   *
   * @param failure a failure
   * @return the unchecked exception to throw
   */
  public static RuntimeException unchecked(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof RuntimeException) {
      return (RuntimeException) t;
    }
    if (t instanceof Error) {
      throw (Error) t;
    }
    return new CompletionException(t);
  }

  /**
   * Waits for the future and returns its value, or throws its failure itself ({@link
   * #unchecked}). An interrupt is kept on the thread and ends the wait with a {@link
   * CompletionException}.
   *
   * @param future the future
   * @param <T> the value type
   * @return the value
   */
  public static <T> T join(Future<T> future) {
    return join(future, e -> new CompletionException("interrupted while waiting for a result", e));
  }

  /**
   * Waits for the future and returns its value, or throws its failure itself ({@link
   * #unchecked}). An interrupt is kept on the thread and ends the wait with the exception that
   * {@code onInterrupt} makes.
   *
   * @param future the future
   * @param onInterrupt makes the exception to throw when the thread is interrupted while waiting
   * @param <T> the value type
   * @return the value
   */
  public static <T> T join(Future<T> future,
      Function<InterruptedException, ? extends RuntimeException> onInterrupt) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw onInterrupt.apply(e);
    } catch (ExecutionException | CompletionException e) {
      throw unchecked(e);
    }
  }
}
