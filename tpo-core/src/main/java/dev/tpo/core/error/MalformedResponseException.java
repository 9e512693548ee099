package dev.tpo.core.error;

/**
 * A server or model answered with something that cannot be used: JSON without the expected fields,
 * a model output without the required tags, a score that cannot be parsed. Keeps the raw text so
 * nothing the model produced is lost.
 *
 * <p>Immutable; safe to share between threads.
 */
public class MalformedResponseException extends NonRetryableException {
  private static final long serialVersionUID = 1L;
  /** The unusable text as received. */
  private final String rawText;

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what to do
   * @param rawText the unusable text exactly as received; null is kept as empty
   */
  public MalformedResponseException(String message, String rawText) {
    this(message, rawText, null);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what went wrong and what to do
   * @param rawText the unusable text exactly as received; null is kept as empty
   * @param cause the parse failure, or null
   */
  public MalformedResponseException(String message, String rawText, Throwable cause) {
    super(message, cause);
    this.rawText = rawText == null ? "" : rawText;
  }

  /**
   * The unusable text exactly as received.
   *
   * @return the raw text, never null
   */
  public String rawText() {
    return rawText;
  }
}
