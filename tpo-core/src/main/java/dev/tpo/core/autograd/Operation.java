package dev.tpo.core.autograd;

import java.util.List;

/**
 * A node of the text-autograd graph: one forward call that produced one output {@link Variable}
 * from its inputs, and the backward function that turns the feedback on that output (or, for the
 * loss, the objective) into {@link TextualGradient}s on the inputs that require them.
 *
 * <p>Forward is the job of the component that creates the operation (for example an LLM call in
 * {@code tpo-textgrad}): it runs the call, captures what it needs for backward (system prompt,
 * input, output), and builds the output with {@link Variable.Builder#producedBy(Operation)}.
 *
 * <p>{@link Backpropagation} calls {@link #backward(Variable)} exactly once per pass, after every
 * successor of the output has run its own backward, so the output's gradients are complete.
 * Implementations must add each feedback to each input once ({@link Variable#addGradient} ignores
 * duplicates anyway) and must only critique, never rewrite, their inputs. An operation belongs to
 * one graph, which one thread drives; implementations need not be thread-safe.
 */
public interface Operation {

  /**
   * A short name of the kind of operation, recorded in gradients (for example {@code "llm-call"}).
   *
   * @return the name
   */
  String name();

  /**
   * The inputs of the forward call, in order; they become the output's predecessors.
   *
   * @return an immutable list
   */
  List<Variable> inputs();

  /**
   * Adds gradients to the inputs that require them.
   *
   * @param output the variable this operation produced, with the gradients it has received
   */
  void backward(Variable output);
}
