package dev.tpo.textgrad.optim;

import dev.tpo.core.autograd.Variable;
import dev.tpo.core.model.FinishReason;
import java.util.Objects;

/**
 * One proposed new value of a parameter, parsed from one choice of the update request.
 *
 * <p>Immutable value; thread-safe (the parameter it refers to belongs to the caller's run).
 *
 * @param parameter the parameter it is a value for
 * @param choiceIndex the index of the choice in the update response, from 0
 * @param value the parsed new value
 * @param complete false when the choice had a start tag but no end tag (typically cut off at the
 *     token limit); the value is then the text after the start tag
 * @param reformatted true when the value came from the reformat request for this choice
 * @param finishReason why the model stopped generating the choice
 * @param rawText the choice's text exactly as received
 */
public record Candidate(Variable parameter, int choiceIndex, String value, boolean complete,
    boolean reformatted, FinishReason finishReason, String rawText) {

  /**
   * Validates that no field is null.
   *
   * @param parameter the parameter it is a value for
   * @param choiceIndex the index of the choice in the update response, from 0
   * @param value the parsed new value
   * @param complete false when the choice had a start tag but no end tag (typically cut off at the
   *     token limit); the value is then the text after the start tag
   * @param reformatted true when the value came from the reformat request for this choice
   * @param finishReason why the model stopped generating the choice
   * @param rawText the choice's text exactly as received
   */
  public Candidate {
    Objects.requireNonNull(parameter, "parameter");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(finishReason, "finishReason");
    Objects.requireNonNull(rawText, "rawText");
  }
}
