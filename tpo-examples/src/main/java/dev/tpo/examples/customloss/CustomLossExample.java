package dev.tpo.examples.customloss;

import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.autograd.Variable;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.textgrad.TextGradEngine;
import dev.tpo.textgrad.optim.TextualGradientDescent;
import dev.tpo.textgrad.optim.TgdOptimizer;
import java.io.PrintStream;
import java.util.List;

/**
 * Improves one answer for a few steps with a custom {@link RubricLoss}: evaluate, backward, step.
 *
 * <pre>
 * # against any OpenAI-compatible server (vLLM, llama.cpp, Ollama, the project's simulator)
 * export TPO_BASE_URL=http://localhost:8000/v1 TPO_MODEL=Qwen/Qwen2.5-7B-Instruct
 * java -cp tpo-examples/target/tpo.jar dev.tpo.examples.customloss.CustomLossExample
 * </pre>
 *
 * <p>Not meant to be shared: a command-line program.
 *
 * <p>Not instantiable; its static methods keep no shared state and are thread-safe.
 */
public final class CustomLossExample {
  static final String QUESTION = "Why does ice float on water?";
  static final List<String> CRITERIA = List.of(
      "It names the density difference as the reason.",
      "It explains why ice is less dense (the hydrogen-bond lattice).",
      "It stays under 80 words.");

  private CustomLossExample() {}

  /**
   * Entry point.
   *
   * @param args {@code [steps]}, default 2
   */
  public static void main(String[] args) {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    try (OpenAiCompatibleModel model = OpenAiCompatibleModel.builder()
        .baseUrl(env("TPO_BASE_URL", "http://localhost:8000/v1"))
        .model(env("TPO_MODEL", "Qwen/Qwen2.5-7B-Instruct"))
        .apiKey(System.getenv("TPO_API_KEY"))
        .build()) {
      Variable answer = optimize(model, "Ice floats because it is cold.", steps, System.out);
      System.out.println("final answer:\n" + answer.value());
    }
  }

  /**
   * Runs {@code steps} rounds of evaluate, backward and step on a draft answer.
   *
   * @param model the model that grades and rewrites
   * @param draft the first answer
   * @param steps how many updates
   * @param out where each critique and new value is printed
   * @return the optimized answer variable
   */
  public static Variable optimize(LanguageModel model, String draft, int steps, PrintStream out) {
    TextGradEngine engine = TextGradEngine.of(model);
    RubricLoss loss = new RubricLoss(engine, QUESTION, CRITERIA);
    Variable answer = Variable.parameter(draft, "a concise answer to a science question");
    TgdOptimizer optimizer = TextualGradientDescent.builder(engine).build().optimizer(answer);
    for (int step = 1; step <= steps; step++) {
      Variable critique = loss.evaluate(answer);
      out.println("step " + step + " critique:\n" + critique.value());
      critique.backward();
      optimizer.step();
      optimizer.zeroGrad();
      out.println("step " + step + " answer:\n" + answer.value());
    }
    return answer;
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
