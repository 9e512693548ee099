package dev.tpo.textgrad.optim;

import dev.tpo.core.autograd.Variable;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.textgrad.Metered;
import dev.tpo.textgrad.ModelCall;
import java.util.List;
import java.util.Objects;

/**
 * What one update request (plus any reformat requests) proposed for one parameter: every parsed
 * candidate in choice order, every dropped choice, and the model calls made.
 *
 * <p>Immutable value; thread-safe (the parameter it refers to belongs to the caller's run).
 *
 * @param parameter the parameter
 * @param candidates the parsed candidates, at least one, in choice order
 * @param dropped the choices that gave no value, in choice order
 * @param calls the update call first, then the reformat calls in choice order
 */
public record ParameterProposal(Variable parameter, List<Candidate> candidates,
    List<DroppedChoice> dropped, List<ModelCall> calls) implements Metered {

  /**
   * Validates and copies the fields.
   *
   * @param parameter the parameter
   * @param candidates the parsed candidates, at least one, in choice order
   * @param dropped the choices that gave no value, in choice order
   * @param calls the update call first, then the reformat calls in choice order
   */
  public ParameterProposal {
    Objects.requireNonNull(parameter, "parameter");
    candidates = List.copyOf(candidates);
    dropped = List.copyOf(dropped);
    calls = List.copyOf(calls);
  }

  /**
   * The update request as sent (one request with {@code n} choices).
   *
   * @return the request
   */
  public ChatRequest updateRequest() {
    return calls.get(0).request();
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
