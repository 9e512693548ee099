package dev.tpo.core.autograd;

import java.util.List;

/**
 * A test operation: its output's value is the inputs joined; its backward gives each input that
 * requires a gradient one feedback naming the operation and summarising what the output received,
 * and logs each call.
 */
final class RecordingOperation implements Operation {
  private final String label;
  private final List<Variable> inputs;
  private final List<String> log;

  RecordingOperation(String label, List<Variable> inputs, List<String> log) {
    this.label = label;
    this.inputs = List.copyOf(inputs);
    this.log = log;
  }

  /** Runs "forward": builds the output variable produced by a new operation. */
  static Variable apply(String label, List<String> log, Variable... inputs) {
    RecordingOperation op = new RecordingOperation(label, List.of(inputs), log);
    StringBuilder value = new StringBuilder();
    for (Variable v : inputs) {
      value.append(v.value()).append('|');
    }
    return Variable.builder(value.toString()).role("output of " + label).producedBy(op).build();
  }

  @Override
  public String name() {
    return label;
  }

  @Override
  public List<Variable> inputs() {
    return inputs;
  }

  @Override
  public void backward(Variable output) {
    log.add(label);
    String received = output.gradients().isEmpty()
        ? "objective"
        : output.gradients().stream().map(TextualGradient::feedback).reduce((a, b) -> a + " + " + b)
            .orElseThrow();
    for (Variable in : inputs) {
      if (in.requiresGrad()) {
        in.addGradient(new TextualGradient(
            in.id(), label + "(" + received + ")", label, output.id(),
            new GradientContext("system of " + label, in.value(), output.value())));
      }
    }
  }
}
