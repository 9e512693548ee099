package dev.tpo.textgrad.ops;

import dev.tpo.core.autograd.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Which inputs of an operation its backward step gives a gradient: those that require one, each
 * once (an input used twice is the same variable), in forward order. Stateless; thread-safe.
 */
final class GradientTargets {
  private GradientTargets() {}

  /**
   * The inputs to give a gradient.
   *
   * @param inputs the operation's inputs, in forward order
   * @return the ones that require a gradient, each once, in that order
   */
  static List<Variable> of(List<Variable> inputs) {
    Set<Variable> done = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Variable> targets = new ArrayList<>();
    for (Variable v : inputs) {
      if (v.requiresGrad() && done.add(v)) {
        targets.add(v);
      }
    }
    return targets;
  }
}
