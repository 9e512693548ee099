package dev.tpo.core.autograd;

import dev.tpo.core.error.AutogradException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A text value in the autograd-for-text graph, as in TextGrad: the value, a role description (what
 * the text is for; it is shown to the model and strongly affects the feedback), whether it requires
 * a gradient, its predecessors (the variables it was computed from, in order), the operation that
 * produced it, and the {@link TextualGradient}s it received, each with the context of the forward
 * call it came from.
 *
 * <p>Rule: a variable that needs no gradient cannot depend on one that does (feedback could not flow
 * through it); {@link Builder#build()} enforces it. When {@code requiresGrad} is left unset it is
 * inherited: true when any predecessor requires a gradient.
 *
 * <p>The value is the only part that changes after construction (the optimizer sets it); gradients
 * accumulate during {@link #backward()} and are cleared by {@link #clearGradients()}. Thread-safe:
 * value updates and gradient accumulation are atomic, though a graph is normally driven by one
 * thread (one TPO run).
 */
public final class Variable {
  private static final AtomicLong NEXT_ID = new AtomicLong();

  private final String id;
  private final String role;
  private final boolean requiresGrad;
  private final List<Variable> predecessors;
  private final Operation producer;
  private volatile String value;
  private final List<TextualGradient> gradients = new ArrayList<>();

  private Variable(Builder b, boolean requiresGrad) {
    this.id = b.id != null ? b.id : "v" + NEXT_ID.incrementAndGet();
    this.role = b.role;
    this.requiresGrad = requiresGrad;
    this.predecessors = b.producer == null ? List.of() : List.copyOf(b.producer.inputs());
    this.producer = b.producer;
    this.value = b.value;
  }

  /**
   * A new builder.
   *
   * @param value the text value
   * @return a builder
   */
  public static Builder builder(String value) {
    return new Builder(value);
  }

  /**
   * A leaf variable to optimize.
   *
   * @param value the text
   * @param role what the text is for, for example "a response to the user's question"
   * @return a variable that requires a gradient
   */
  public static Variable parameter(String value, String role) {
    return builder(value).role(role).requiresGrad(true).build();
  }

  /**
   * A leaf variable that is not optimized (a fixed instruction, a question).
   *
   * @param value the text
   * @param role what the text is for
   * @return a variable that requires no gradient
   */
  public static Variable constant(String value, String role) {
    return builder(value).role(role).requiresGrad(false).build();
  }

  /** @return the stable id, unique in this JVM unless given explicitly */
  public String id() {
    return id;
  }

  /** @return the current text value */
  public String value() {
    return value;
  }

  /**
   * Replaces the value (the optimizer's update). Gradients are kept until {@link #clearGradients()}.
   *
   * @param newValue the new text
   */
  public void setValue(String newValue) {
    this.value = Objects.requireNonNull(newValue, "value");
  }

  /** @return the role description */
  public String role() {
    return role;
  }

  /** @return whether feedback flows to this variable */
  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** @return the variables this one was computed from, in forward order */
  public List<Variable> predecessors() {
    return predecessors;
  }

  /** @return the operation that produced this variable, empty for a leaf */
  public Optional<Operation> producer() {
    return Optional.ofNullable(producer);
  }

  /**
   * The gradients received so far, in the order they arrived.
   *
   * @return an immutable snapshot
   */
  public List<TextualGradient> gradients() {
    synchronized (gradients) {
      return List.copyOf(gradients);
    }
  }

  /**
   * Adds a gradient unless an equal one is already present.
   *
   * @param gradient the gradient, for this variable
   * @return true when added, false when it was a duplicate
   * @throws AutogradException when the gradient names another variable or this one needs none
   */
  public boolean addGradient(TextualGradient gradient) {
    Objects.requireNonNull(gradient, "gradient");
    if (!gradient.variableId().equals(id)) {
      throw new AutogradException(
          "gradient for variable '" + gradient.variableId() + "' was added to " + describe());
    }
    if (!requiresGrad) {
      throw new AutogradException(
          describe() + " has requiresGrad=false and cannot receive a gradient from '"
              + gradient.operation() + "'");
    }
    synchronized (gradients) {
      if (gradients.contains(gradient)) {
        return false;
      }
      return gradients.add(gradient);
    }
  }

  /** Removes every gradient. */
  public void clearGradients() {
    synchronized (gradients) {
      gradients.clear();
    }
  }

  /**
   * Runs backward from this variable as the loss: every operation of the graph adds its feedback to
   * its inputs, in a deterministic reverse topological order. See {@link Backpropagation}.
   *
   * @return the variables whose producing operation ran, in the order they ran
   */
  public List<Variable> backward() {
    return Backpropagation.backward(this);
  }

  /**
   * A short description for messages: role and id.
   *
   * @return for example {@code 'a response to the question' (v12)}
   */
  public String describe() {
    String shortRole = role.length() > 60 ? role.substring(0, 57) + "..." : role;
    return "'" + shortRole + "' (" + id + ")";
  }

  @Override
  public String toString() {
    String v = value.length() > 40 ? value.substring(0, 37) + "..." : value;
    return "Variable{id=" + id + ", role=" + role + ", requiresGrad=" + requiresGrad
        + ", predecessors=" + predecessors.size() + ", value=" + v + "}";
  }

  /** Builds a {@link Variable}; {@link #build()} enforces the graph rules. Not thread-safe. */
  public static final class Builder {
    private final String value;
    private String role = "a text";
    private Boolean requiresGrad;
    private String id;
    private Operation producer;

    private Builder(String value) {
      this.value = Objects.requireNonNull(value, "value");
    }

    /**
     * What the text is for. Defaults to "a text"; always worth setting.
     *
     * @param role the role description
     * @return this builder
     */
    public Builder role(String role) {
      Objects.requireNonNull(role, "role");
      if (role.isBlank()) {
        throw new AutogradException(
            "Variable.role is blank: describe what the text is for, e.g. \"a response to the"
                + " user's question\"");
      }
      this.role = role;
      return this;
    }

    /**
     * Whether feedback flows to this variable. Defaults to true when any predecessor requires a
     * gradient, else false.
     *
     * @param requiresGrad the flag
     * @return this builder
     */
    public Builder requiresGrad(boolean requiresGrad) {
      this.requiresGrad = requiresGrad;
      return this;
    }

    /**
     * A stable id of your choice. Defaults to {@code v<n>} with a JVM-wide counter.
     *
     * @param id the id, not blank
     * @return this builder
     */
    public Builder id(String id) {
      if (id == null || id.isBlank()) {
        throw new AutogradException("Variable.id is blank: give a non-blank id or leave it unset");
      }
      this.id = id;
      return this;
    }

    /**
     * The operation that produced this variable; its inputs become the predecessors.
     *
     * @param producer the operation
     * @return this builder
     */
    public Builder producedBy(Operation producer) {
      this.producer = Objects.requireNonNull(producer, "producer");
      return this;
    }

    /**
     * Builds the variable.
     *
     * @return the variable
     * @throws AutogradException when it needs no gradient but a predecessor does
     */
    public Variable build() {
      List<Variable> inputs = producer == null ? List.of() : producer.inputs();
      Variable needing = null;
      for (Variable p : inputs) {
        if (p.requiresGrad()) {
          needing = p;
          break;
        }
      }
      boolean grad = requiresGrad != null ? requiresGrad : needing != null;
      if (!grad && needing != null) {
        String shortRole = role.length() > 60 ? role.substring(0, 57) + "..." : role;
        throw new AutogradException(
            "variable '" + shortRole + "' has requiresGrad=false but its predecessor "
                + needing.describe() + " requires a gradient, so feedback could not flow to it."
                + " Leave requiresGrad unset (it is then inherited) or set it to true");
      }
      return new Variable(this, grad);
    }
  }
}
