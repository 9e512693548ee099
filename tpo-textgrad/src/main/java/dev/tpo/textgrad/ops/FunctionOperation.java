package dev.tpo.textgrad.ops;

import dev.tpo.core.autograd.GradientContext;
import dev.tpo.core.autograd.Operation;
import dev.tpo.core.autograd.Variable;
import dev.tpo.textgrad.TextGradEngine;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operation of one {@link FunctionCall}: captured input values and result; backward asks the
 * backward model, once per input that requires a gradient, how that input should change.
 *
 * <p>Belongs to one graph; not thread-safe.
 */
final class FunctionOperation implements Operation {
  private final TextGradEngine engine;
  private final String purpose;
  private final List<Variable> inputs;
  private final List<String> values;
  private final String result;

  FunctionOperation(TextGradEngine engine, String purpose, List<Variable> inputs,
      List<String> values, String result) {
    this.engine = engine;
    this.purpose = purpose;
    this.inputs = List.copyOf(inputs);
    this.values = List.copyOf(values);
    this.result = result;
  }

  @Override
  public String name() {
    return FunctionCall.NAME;
  }

  @Override
  public List<Variable> inputs() {
    return inputs;
  }

  @Override
  public void backward(Variable output) {
    GradientContext context = new GradientContext(purpose, fields(values), result);
    BackwardRequests.backward(engine, name(), inputs, output, context, v -> {
      List<String> texts = new ArrayList<>(values);
      texts.add(result);
      List<String> fitted = BackwardRequests.fitContext(engine, v, texts);
      return engine.templates().render(PromptTemplates.CONVERSATION_FUNCTION, Map.of(
          "purpose", purpose,
          "inputs", fields(fitted.subList(0, values.size())),
          "output", fitted.get(values.size())));
    });
  }

  private String fields(List<String> texts) {
    List<String> rendered = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      rendered.add(engine.templates().render(PromptTemplates.FIELD,
          Map.of("role", inputs.get(i).role(), "value", texts.get(i))));
    }
    return String.join("\n", rendered);
  }

}
