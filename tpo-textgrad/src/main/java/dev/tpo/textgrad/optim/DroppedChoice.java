package dev.tpo.textgrad.optim;

import dev.tpo.core.autograd.Variable;
import java.util.Objects;

/**
 * A choice of the update request that gave no usable value, with its raw text and why.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param parameter the parameter the choice was for
 * @param choiceIndex the index of the choice in the update response, from 0
 * @param rawText the choice's text exactly as received
 * @param reformatText the answer to the reformat request, empty when none was sent
 * @param reason why it was dropped
 */
public record DroppedChoice(Variable parameter, int choiceIndex, String rawText,
    String reformatText, String reason) {

  /**
   * Validates that no field is null.
   *
   * @param parameter the parameter the choice was for
   * @param choiceIndex the index of the choice in the update response, from 0
   * @param rawText the choice's text exactly as received
   * @param reformatText the answer to the reformat request, empty when none was sent
   * @param reason why it was dropped
   */
  public DroppedChoice {
    Objects.requireNonNull(parameter, "parameter");
    Objects.requireNonNull(rawText, "rawText");
    Objects.requireNonNull(reformatText, "reformatText");
    Objects.requireNonNull(reason, "reason");
  }
}
