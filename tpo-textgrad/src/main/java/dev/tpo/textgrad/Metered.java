package dev.tpo.textgrad;

import dev.tpo.core.model.TokenUsage;
import java.util.List;

/**
 * Something that made model calls and kept them: the engine's operations and optimizers.
 *
 * <p>Implementations are thread-safe for reading.
 */
public interface Metered {

  /**
   * Every model call made so far, in the order they were made.
   *
   * @return an immutable snapshot
   */
  List<ModelCall> calls();

  /**
   * The summed token usage of {@link #calls()}.
   *
   * @return the usage, {@link TokenUsage#ZERO} when no call was made
   */
  default TokenUsage usage() {
    TokenUsage total = TokenUsage.ZERO;
    for (ModelCall c : calls()) {
      total = total.plus(c.usage());
    }
    return total;
  }
}
