package dev.tpo.internal;

import dev.tpo.core.error.ConfigurationException;

/**
 * A request's prompt alone fills {@code maxContextTokens}, thrown by {@link ContextFit}. For the
 * sampling request the run fails with it; in a refinement round the run stops refining and keeps
 * the best answer so far.
 *
 * <p>Immutable; thread-safe.
 */
public final class ContextFullException extends ConfigurationException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception.
   *
   * @param message what filled the context and what to change
   */
  public ContextFullException(String message) {
    super(message);
  }
}
