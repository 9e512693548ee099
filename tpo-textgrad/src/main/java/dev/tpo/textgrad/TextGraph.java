package dev.tpo.textgrad;

import dev.tpo.core.autograd.Backpropagation;
import dev.tpo.core.autograd.Operation;
import dev.tpo.core.autograd.Variable;
import dev.tpo.core.model.TokenUsage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the model calls recorded in a graph: every {@link Metered} operation reachable from a
 * variable (typically the loss), in topological order.
 *
 * <p>Stateless; thread-safe.
 */
public final class TextGraph {
  private TextGraph() {}

  /**
   * Every model call made by the operations of the graph that ends in {@code root}: forward calls
   * and, after {@code backward()}, backward calls. Operations in topological order; each
   * operation's calls in the order they were made.
   *
   * @param root the variable to start from
   * @return an immutable list
   */
  public static List<ModelCall> calls(Variable root) {
    List<ModelCall> all = new ArrayList<>();
    Set<Operation> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Variable v : Backpropagation.topologicalOrder(root)) {
      Optional<Operation> op = v.producer();
      if (op.isPresent() && seen.add(op.get()) && op.get() instanceof Metered) {
        all.addAll(((Metered) op.get()).calls());
      }
    }
    return List.copyOf(all);
  }

  /**
   * The summed token usage of {@link #calls(Variable)}.
   *
   * @param root the variable to start from
   * @return the usage
   */
  public static TokenUsage usage(Variable root) {
    TokenUsage total = TokenUsage.ZERO;
    for (ModelCall c : calls(root)) {
      total = total.plus(c.usage());
    }
    return total;
  }
}
