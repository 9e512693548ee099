package dev.tpo.textgrad.optim;

import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.ConfigurationException;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of {@link TgdOptimizer#propose(int)}: one {@link ParameterProposal} per parameter, in
 * the optimizer's parameter order. Nothing has changed yet; pass a candidate to
 * {@link TgdOptimizer#accept(Candidate)} to keep it.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param parameters the per-parameter proposals
 */
public record Proposal(List<ParameterProposal> parameters) {

  /**
   * Copies the list.
   *
   * @param parameters the per-parameter proposals
   */
  public Proposal {
    parameters = List.copyOf(parameters);
  }

  /**
   * The proposal for one parameter.
   *
   * @param parameter the parameter
   * @return its proposal
   * @throws ConfigurationException when the parameter was not optimized here
   */
  public ParameterProposal forParameter(Variable parameter) {
    for (ParameterProposal p : parameters) {
      if (p.parameter() == parameter) {
        return p;
      }
    }
    throw new ConfigurationException("no proposal for " + parameter.describe()
        + "; it is not a parameter of this optimizer");
  }

  /**
   * Every candidate of every parameter, in parameter then choice order.
   *
   * @return an immutable list
   */
  public List<Candidate> candidates() {
    List<Candidate> all = new ArrayList<>();
    parameters.forEach(p -> all.addAll(p.candidates()));
    return List.copyOf(all);
  }

  /**
   * Every dropped choice, in parameter then choice order.
   *
   * @return an immutable list
   */
  public List<DroppedChoice> dropped() {
    List<DroppedChoice> all = new ArrayList<>();
    parameters.forEach(p -> all.addAll(p.dropped()));
    return List.copyOf(all);
  }
}
