package dev.tpo.core.model;

import dev.tpo.core.event.Phase;
import java.util.Objects;

/**
 * The phase and round a request belongs to, attached to it as a tag ({@link
 * ChatRequest#tag(Class)}) by whoever builds it, so interceptors (recording, context fitting) read
 * it from the request itself rather than from shared state.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param phase the phase that sends the request
 * @param round the round, 0 for the initial sampling
 */
public record CallTag(Phase phase, int round) {

  /**
   * Validates the fields.
   *
   * @param phase the phase that sends the request
   * @param round the round, 0 for the initial sampling
   */
  public CallTag {
    Objects.requireNonNull(phase, "phase");
    if (round < 0) {
      throw new IllegalArgumentException("CallTag.round must be >= 0, got " + round);
    }
  }

  /**
   * The same round in another phase.
   *
   * @param other the phase
   * @return the tag
   */
  public CallTag withPhase(Phase other) {
    return new CallTag(other, round);
  }

  /**
   * Attaches this tag to a request.
   *
   * @param request the request
   * @return a copy of the request carrying this tag
   */
  public ChatRequest applyTo(ChatRequest request) {
    return request.toBuilder().tag(CallTag.class, this).build();
  }
}
