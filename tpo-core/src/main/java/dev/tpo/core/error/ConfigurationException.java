package dev.tpo.core.error;

/**
 * Invalid configuration or argument: a builder field out of range, a missing setting, an unknown
 * mode. The message names the field, shows the bad value and says what is allowed.
 *
 * <p>Immutable; safe to share between threads.
 */
public class ConfigurationException extends NonRetryableException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what to do
   */
  public ConfigurationException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what went wrong and what to do
   * @param cause the underlying failure, or null
   */
  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
