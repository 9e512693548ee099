package dev.tpo.adapter.http;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Unwraps the failures of futures. Stateless; thread-safe. */
public final class Futures {
  private Futures() {}

  /**
   * Strips {@link CompletionException} and {@link ExecutionException} wrappers.
   *
   * @param t a failure
   * @return the innermost cause that is not a wrapper (the failure itself when it is none)
   */
  public static Throwable unwrap(Throwable t) {
    Throwable cur = t;
    while ((cur instanceof CompletionException || cur instanceof ExecutionException)
        && cur.getCause() != null) {
      cur = cur.getCause();
    }
    return cur;
  }
}
