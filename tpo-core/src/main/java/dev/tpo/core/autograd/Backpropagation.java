package dev.tpo.core.autograd;

import dev.tpo.core.error.AutogradException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The backward pass over a text-autograd graph.
 *
 * <p>Order: a depth-first post-order from the loss, visiting predecessors in their forward order,
 * gives a topological order (each variable after all its predecessors); backward walks it in
 * reverse, so each operation runs after every successor of its output has added its feedback. The
 * walk is iterative (a 10,000-operation chain needs no deep stack) and depends only on the graph's
 * structure, never on hash codes, so equal graphs are always visited in the same order. Each
 * operation's backward runs once per pass, even when an operation is reachable along several paths.
 *
 * <p>Graphs cannot have cycles: a variable's predecessors are fixed when it is built, and they must
 * exist before it. Stateless; thread-safe (the graph passed in must not be changed concurrently).
 */
public final class Backpropagation {
  private Backpropagation() {}

  /**
   * The variables reachable from {@code root}, each after all of its predecessors; {@code root} is
   * last.
   *
   * @param root the variable to start from
   * @return an immutable list in topological order
   */
  public static List<Variable> topologicalOrder(Variable root) {
    List<Variable> order = new ArrayList<>();
    Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    // Each frame: a variable and the index of the next predecessor to visit.
    Deque<Object[]> stack = new ArrayDeque<>();
    seen.add(root);
    stack.push(new Object[] {root, 0});
    while (!stack.isEmpty()) {
      Object[] frame = stack.peek();
      Variable v = (Variable) frame[0];
      int next = (Integer) frame[1];
      List<Variable> preds = v.predecessors();
      if (next < preds.size()) {
        frame[1] = next + 1;
        Variable p = preds.get(next);
        if (seen.add(p)) {
          stack.push(new Object[] {p, 0});
        }
      } else {
        stack.pop();
        order.add(v);
      }
    }
    return Collections.unmodifiableList(order);
  }

  /**
   * Runs backward from a loss: for every variable in reverse topological order that requires a
   * gradient and has a producer, runs that producer's backward once.
   *
   * @param loss the loss variable
   * @return the variables whose producer ran, in the order they ran
   * @throws AutogradException when the loss does not require a gradient
   */
  public static List<Variable> backward(Variable loss) {
    if (!loss.requiresGrad()) {
      throw new AutogradException(
          "backward() from " + loss.describe() + " does nothing: it does not require a gradient,"
              + " so no variable it depends on does. Create the variable to optimize with"
              + " requiresGrad(true)");
    }
    List<Variable> order = topologicalOrder(loss);
    Set<Operation> ran = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Variable> visited = new ArrayList<>();
    for (int i = order.size() - 1; i >= 0; i--) {
      Variable v = order.get(i);
      if (!v.requiresGrad() || v.producer().isEmpty()) {
        continue;
      }
      Operation op = v.producer().get();
      if (ran.add(op)) {
        op.backward(v);
        visited.add(v);
      }
    }
    return Collections.unmodifiableList(visited);
  }
}
