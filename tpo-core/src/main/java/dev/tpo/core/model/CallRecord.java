package dev.tpo.core.model;

import dev.tpo.core.event.Phase;
import java.util.List;
import java.util.Objects;

/**
 * One request sent to a model and what came back: the messages and sampling settings as sent, the
 * raw text of every choice, the token usage and the wall time. The one record of a model call in
 * this project: {@link CallRecorder} makes them, and a TPO result's per-round records are made of
 * them (what the reference logs: the loss request and response, the gradient request and response,
 * the update request).
 *
 * <p>Immutable value; thread-safe.
 *
 * @param phase which phase sent it (the request's {@link CallTag}), or null when untagged
 * @param round the round, 0 for the initial sampling
 * @param model the name of the model it went to
 * @param messages the conversation as sent
 * @param n how many choices were asked for
 * @param temperature the temperature sent, or null when unset
 * @param topP the top_p sent, or null when unset
 * @param seed the seed sent, or null when unset
 * @param maxTokens the per-choice token limit sent, or null when unset
 * @param outputs the raw text of every choice, in order
 * @param usage the tokens the server reported
 * @param elapsedMillis the wall time of the request, in milliseconds
 */
public record CallRecord(
    Phase phase,
    int round,
    String model,
    List<ChatMessage> messages,
    int n,
    Double temperature,
    Double topP,
    Long seed,
    Integer maxTokens,
    List<String> outputs,
    TokenUsage usage,
    long elapsedMillis) {

  /**
   * Validates and copies the fields.
   *
   * @param phase which phase sent it (the request's {@link CallTag}), or null when untagged
   * @param round the round, 0 for the initial sampling
   * @param model the name of the model it went to
   * @param messages the conversation as sent
   * @param n how many choices were asked for
   * @param temperature the temperature sent, or null when unset
   * @param topP the top_p sent, or null when unset
   * @param seed the seed sent, or null when unset
   * @param maxTokens the per-choice token limit sent, or null when unset
   * @param outputs the raw text of every choice, in order
   * @param usage the tokens the server reported
   * @param elapsedMillis the wall time of the request, in milliseconds
   */
  public CallRecord {
    model = model == null ? "" : model;
    messages = List.copyOf(messages);
    outputs = List.copyOf(outputs);
    Objects.requireNonNull(usage, "usage");
  }

  /**
   * Records a finished request; phase and round come from its {@link CallTag}.
   *
   * @param model the model's name
   * @param request the request as sent
   * @param response the response
   * @param elapsedMillis the wall time
   * @return the record
   */
  public static CallRecord of(String model, ChatRequest request, ChatResponse response,
      long elapsedMillis) {
    CallTag tag = request.tag(CallTag.class).orElse(null);
    return new CallRecord(tag == null ? null : tag.phase(), tag == null ? 0 : tag.round(), model, request.messages(), request.n(),
        request.temperature().orElse(null), request.topP().orElse(null),
        request.seed().orElse(null), request.maxTokens().orElse(null), response.texts(),
        response.usage(), elapsedMillis);
  }
}
