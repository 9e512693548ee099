package dev.tpo.textgrad.optim;

import dev.tpo.core.error.MalformedResponseException;
import java.util.List;

/**
 * Textual gradient descent got no usable value from any choice of an update: every choice was
 * empty or unparsable, even after its reformat request. The requests themselves succeeded (a
 * failed request throws its own exception), so a TPO round records the choices and goes on.
 *
 * <p>Immutable; thread-safe.
 */
public final class NoCandidateException extends MalformedResponseException {
  private static final long serialVersionUID = 1L;

  /** The dropped choices; transient as the parameter they refer to is not serializable. */
  private final transient List<DroppedChoice> dropped;

  /**
   * An exception.
   *
   * @param message what was wrong and what to do
   * @param rawText every choice's raw text (and reformat answer)
   * @param dropped every dropped choice, in choice order
   */
  public NoCandidateException(String message, String rawText, List<DroppedChoice> dropped) {
    super(message, rawText);
    this.dropped = List.copyOf(dropped);
  }

  /** @return every dropped choice, in choice order */
  public List<DroppedChoice> dropped() {
    return dropped;
  }
}
