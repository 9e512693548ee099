package dev.tpo.core.call;

import dev.tpo.core.event.Phase;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.TokenUsage;
import java.util.Objects;

/**
 * One request handed to a model whose answer was a failure, as {@link CallRecorder} saw it: the
 * counterpart of {@link CallRecord} for counting requests. Immutable value; thread-safe.
 *
 * @param phase which phase sent it (the request's {@link CallTag}), or null when untagged
 * @param round the round, 0 for the initial sampling
 * @param model the name of the model it went to
 * @param usage one request, and the tokens the failure reported (none for this project's
 *     adapters, whose exceptions carry no usage)
 * @param elapsedMillis the wall time from sending to the failure, in milliseconds
 * @param error what the request failed with
 */
public record CallFailure(
    Phase phase, int round, String model, TokenUsage usage, long elapsedMillis, Throwable error) {

  /**
   * Validates the fields.
   *
   * @param phase which phase sent it, or null when untagged
   * @param round the round, 0 for the initial sampling
   * @param model the name of the model it went to
   * @param usage one request and any tokens reported
   * @param elapsedMillis the wall time, in milliseconds
   * @param error what the request failed with
   */
  public CallFailure {
    model = model == null ? "" : model;
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(error, "error");
  }

  /**
   * Records a failed request; phase and round come from its {@link CallTag}.
   *
   * @param model the model's name
   * @param request the request as sent
   * @param error what it failed with
   * @param elapsedMillis the wall time
   * @return the record, counting one request and no tokens
   */
  public static CallFailure of(String model, ChatRequest request, Throwable error,
      long elapsedMillis) {
    CallTag tag = request.tag(CallTag.class).orElse(null);
    return new CallFailure(tag == null ? null : tag.phase(), tag == null ? 0 : tag.round(), model,
        TokenUsage.ofRequest(0, 0), elapsedMillis, error);
  }
}
