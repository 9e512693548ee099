package dev.tpo.textgrad.optim;

import dev.tpo.core.autograd.Variable;
import dev.tpo.core.model.ChatRequest;
import java.util.List;
import java.util.Objects;

/**
 * What one update request (plus any reformat requests) proposed for one parameter: every parsed
 * candidate in choice order, every dropped choice, and the update request as sent.
 *
 * <p>Immutable value; thread-safe (the parameter it refers to belongs to the caller's run).
 *
 * @param parameter the parameter
 * @param candidates the parsed candidates, at least one, in choice order
 * @param dropped the choices that gave no value, in choice order
 * @param updateRequest the update request as sent (one request with {@code n} choices)
 */
public record ParameterProposal(Variable parameter, List<Candidate> candidates,
    List<DroppedChoice> dropped, ChatRequest updateRequest) {

  /**
   * Validates and copies the fields.
   *
   * @param parameter the parameter
   * @param candidates the parsed candidates, at least one, in choice order
   * @param dropped the choices that gave no value, in choice order
   * @param updateRequest the update request as sent (one request with {@code n} choices)
   */
  public ParameterProposal {
    Objects.requireNonNull(parameter, "parameter");
    candidates = List.copyOf(candidates);
    dropped = List.copyOf(dropped);
    Objects.requireNonNull(updateRequest, "updateRequest");
  }

  /**
   * The candidates' values in choice order.
   *
   * @return an immutable list
   */
  public List<String> values() {
    return candidates.stream().map(Candidate::value).toList();
  }
}
