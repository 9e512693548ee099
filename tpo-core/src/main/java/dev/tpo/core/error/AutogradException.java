package dev.tpo.core.error;

/**
 * A rule of the text-autograd graph was broken: a variable that needs no gradient built from one
 * that does, a step on a parameter without gradients, a cycle. The message names the variables.
 *
 * <p>Immutable; safe to share between threads.
 */
public class AutogradException extends NonRetryableException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what to do
   */
  public AutogradException(String message) {
    super(message);
  }
}
