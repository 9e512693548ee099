package dev.tpo.loop;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.Futures;

/**
 * A request's prompt alone fills {@code maxContextTokens}. For the sampling request the run fails
 * with it; in a refinement round the run stops refining and keeps the best answer so far.
 *
 * <p>Immutable; thread-safe.
 */
final class ContextFullException extends ConfigurationException {
  private static final long serialVersionUID = 1L;

  ContextFullException(String message) {
    super(message);
  }

  /**
   * Finds this exception in a failure, through completion wrappers.
   *
   * @param failure a failure
   * @return the exception, or null when the failure is another one
   */
  static ContextFullException in(Throwable failure) {
    Throwable t = Futures.unwrap(failure);
    return t instanceof ContextFullException ? (ContextFullException) t : null;
  }
}
