package dev.tpo.examples.textgrad;

import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.model.CallRecorder;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.model.TokenUsage;
import dev.tpo.textgrad.Sampling;
import dev.tpo.textgrad.TextGradEngine;
import dev.tpo.textgrad.loss.LlmTextLoss;
import dev.tpo.textgrad.optim.TextualGradientDescent;
import dev.tpo.textgrad.optim.TgdOptimizer;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Optimizes a short text toward a goal with TextGrad's three steps, repeated: an LLM evaluation
 * of the text (the loss), {@code backward()} for a critique (the textual gradient), and one step of
 * textual gradient descent that rewrites the text.
 *
 * <pre>{@code
 * TextOptimization.Result r = new TextOptimization(model)
 *     .optimize("Our app is good.", "a persuasive one-sentence product pitch", 2, System.out::println);
 * }</pre>
 *
 * <p>Immutable; thread-safe (each {@link #optimize} call is its own run).
 */
public final class TextOptimization {
  private final TextGradEngine engine;

  /**
   * Uses one model for every request, at temperature 0.7.
   *
   * @param model the model
   */
  public TextOptimization(LanguageModel model) {
    Sampling sampling = Sampling.builder().temperature(0.7).maxTokens(1024).build();
    this.engine = TextGradEngine.builder().forwardModel(Objects.requireNonNull(model, "model"))
        .forwardSampling(sampling).backwardSampling(sampling).build();
  }

  /**
   * The outcome of a run.
   *
   * <p>Thread-safe; the instances {@link #optimize} returns are immutable.
   *
   * @param text the final text
   * @param history every earlier version, oldest first
   * @param usage the token usage of every request of the run
   */
  public record Result(String text, List<String> history, TokenUsage usage) {}

  /**
   * Runs {@code steps} rounds of evaluate, backward, step.
   *
   * @param text the text to improve
   * @param goal what the text should achieve, in words
   * @param steps how many rounds, at least 1
   * @param log receives a line per event (the evaluation, the critique, the new text)
   * @return the final text, its history and the usage
   * @throws ConfigurationException when steps is below 1 or the text or goal is blank
   */
  public Result optimize(String text, String goal, int steps, Consumer<String> log) {
    if (steps < 1) {
      throw new ConfigurationException("steps must be at least 1, got " + steps);
    }
    if (text == null || text.isBlank() || goal == null || goal.isBlank()) {
      throw new ConfigurationException("give a non-blank text and goal, got text=\"" + text
          + "\", goal=\"" + goal + "\"");
    }
    Variable variable = Variable.parameter(text, "a short text whose goal is: " + goal);
    // The run's usage: a recorder on the model sees every request of this run's engine.
    CallRecorder recorder = new CallRecorder();
    TextGradEngine engine = this.engine.toBuilder()
        .forwardModel(this.engine.forwardModel().withInterceptors(recorder)).build();
    LlmTextLoss loss = LlmTextLoss.builder(engine)
        .instruction("You evaluate a short text against its goal: " + goal + ". Point out,"
            + " concisely and concretely, where it falls short of that goal. Do not rewrite it.")
        .build();
    TgdOptimizer optimizer = TextualGradientDescent.builder(engine)
        .addConstraint("Keep the text about as short as it is now.")
        .momentumWindow(2)
        .build()
        .optimizer(variable);
    for (int step = 1; step <= steps; step++) {
      optimizer.zeroGrad();
      Variable evaluation = loss.evaluate(variable);
      log.accept("step " + step + " evaluation: " + evaluation.value());
      evaluation.backward();
      int current = step;
      variable.gradients().forEach(g -> log.accept("step " + current + " critique: "
          + g.feedback()));
      optimizer.step();
      log.accept("step " + step + " new text: " + variable.value());
    }
    return new Result(variable.value(), optimizer.history(variable), recorder.usage());
  }
}
