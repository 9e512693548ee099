package dev.tpo.core.error;

/**
 * Invalid configuration or argument: a builder field out of range, a missing setting, an unknown
 * mode. The message names the field, shows the bad value and says what is allowed.
 *
 * <p>Immutable; safe to share between threads.
 */
public class ConfigurationException extends NonRetryableException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
