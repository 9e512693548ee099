package dev.tpo.textgrad.ops;

import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.textgrad.TextGradEngine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A plain-Java function in the graph, as TextGrad's string-based function: the inputs' values go
 * through the function, the result is the output. A purpose description tells the backward model
 * what the function does, so code such as an exact-match metric can still pass feedback back: the
 * backward sends one request per input that requires a gradient, asking how that input should
 * change.
 *
 * <pre>{@code
 * FunctionCall exactMatch = FunctionCall.builder(engine)
 *     .purpose("compares the answer with the expected answer; 1 when equal, else 0")
 *     .function(values -> values.get(0).equals(values.get(1)) ? "1" : "0")
 *     .outputRole("whether the answer is correct")
 *     .build();
 * Variable correct = exactMatch.forward(answer, expected);
 * }</pre>
 *
 * <p>Immutable; thread-safe when the function is.
 */
public final class FunctionCall {
  /** The operation name recorded in gradients. */
  public static final String NAME = "function-call";

  private final TextGradEngine engine;
  private final String purpose;
  private final Function<List<String>, String> function;
  private final String outputRole;

  private FunctionCall(Builder b) {
    this.engine = b.engine;
    this.purpose = b.purpose;
    this.function = b.function;
    this.outputRole = b.outputRole;
  }

  /**
   * A new builder.
   *
   * @param engine the engine whose backward model gives feedback
   * @return the builder
   */
  public static Builder builder(TextGradEngine engine) {
    return new Builder(engine);
  }

  /**
   * Applies the function.
   *
   * @param inputs the input variables, at least one
   * @return the output variable, produced by a new operation
   */
  public Variable forward(Variable... inputs) {
    return forward(Arrays.asList(inputs));
  }

  /**
   * Applies the function.
   *
   * @param inputs the input variables, at least one
   * @return the output variable, produced by a new operation
   * @throws ConfigurationException when no input is given or the function returns null
   */
  public Variable forward(List<Variable> inputs) {
    if (inputs.isEmpty()) {
      throw new ConfigurationException("FunctionCall.forward needs at least one input variable");
    }
    List<String> values = new ArrayList<>();
    for (Variable v : inputs) {
      values.add(Objects.requireNonNull(v, "input").value());
    }
    String result = function.apply(List.copyOf(values));
    if (result == null) {
      throw new ConfigurationException("the function of FunctionCall '" + purpose
          + "' returned null; return a string (empty if there is nothing to say)");
    }
    FunctionOperation op = new FunctionOperation(engine, purpose, inputs, values, result);
    return Variable.builder(result).role(outputRole).producedBy(op).build();
  }

  /** Builds a {@link FunctionCall}. Not thread-safe. */
  public static final class Builder {
    private final TextGradEngine engine;
    private String purpose;
    private Function<List<String>, String> function;
    private String outputRole = "the output of a function";

    private Builder(TextGradEngine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
    }

    /**
     * What the function does, shown to the backward model. Required.
     *
     * @param purpose the description
     * @return this builder
     */
    public Builder purpose(String purpose) {
      this.purpose = purpose;
      return this;
    }

    /**
     * The function from the inputs' values (in order) to the output value. Required.
     *
     * @param function the function
     * @return this builder
     */
    public Builder function(Function<List<String>, String> function) {
      this.function = function;
      return this;
    }

    /**
     * The role of the output variable. Defaults to "the output of a function".
     *
     * @param role the role
     * @return this builder
     */
    public Builder outputRole(String role) {
      this.outputRole = role;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the function call
     * @throws ConfigurationException naming the missing field
     */
    public FunctionCall build() {
      if (purpose == null || purpose.isBlank()) {
        throw new ConfigurationException("FunctionCall.purpose is blank: describe what the"
            + " function computes, so feedback can be given through it");
      }
      if (function == null) {
        throw new ConfigurationException("FunctionCall.function is not set");
      }
      if (outputRole == null || outputRole.isBlank()) {
        throw new ConfigurationException("FunctionCall.outputRole is blank");
      }
      return new FunctionCall(this);
    }
  }
}
