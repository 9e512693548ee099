package dev.tpo.examples.textgrad;

import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.error.TpoException;
import dev.tpo.core.model.LanguageModel;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.Function;

/**
 * Command line: optimizes a short text with a model on an OpenAI-compatible server (vLLM, SGLang,
 * llama.cpp, Ollama, OpenAI).
 *
 * <pre>
 * TPO_BASE_URL=http://localhost:8000/v1 TPO_MODEL=meta-llama/Llama-3.1-8B-Instruct \
 *   java -cp ... dev.tpo.examples.textgrad.TextGradExample \
 *   --goal "a persuasive one-sentence pitch for a note-taking app" --steps 2 "Our app stores notes."
 * </pre>
 *
 * <p>Options: {@code --base-url URL} (else {@code TPO_BASE_URL}, else
 * {@code http://localhost:8000/v1}), {@code --model NAME} (else {@code TPO_MODEL}; required),
 * {@code --goal TEXT}, {@code --steps N} (default 2), then the text. The API key is read only from
 * {@code TPO_API_KEY}, never from the command line. Exit status 0 on success, 2 on bad arguments,
 * 1 when the model fails.
 *
 * <p>A command-line program; not meant to be shared.
 *
 * <p>Not instantiable; its static methods keep no shared state and are thread-safe.
 */
public final class TextGradExample {
  static final String DEFAULT_BASE_URL = "http://localhost:8000/v1";
  static final String DEFAULT_GOAL = "a clear, friendly one-sentence invitation to a team lunch";
  static final String DEFAULT_TEXT = "lunch friday maybe, tell me if u come";

  private TextGradExample() {}

  /**
   * Runs the example and exits with its status.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    int status = run(args, System.getenv(), TextGradExample::openAiModel, System.out, System.err);
    System.exit(status);
  }

  /**
   * Runs the example.
   *
   * @param args the command line
   * @param env the environment
   * @param models makes the model from the parsed options
   * @param out where the progress and the result go
   * @param err where errors go
   * @return the exit status
   */
  static int run(String[] args, Map<String, String> env, Function<Options, LanguageModel> models,
      PrintStream out, PrintStream err) {
    Options options;
    try {
      options = Options.parse(args, env);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println("usage: TextGradExample [--base-url URL] [--model NAME] [--goal TEXT]"
          + " [--steps N] [TEXT]   (env: TPO_BASE_URL, TPO_MODEL, TPO_API_KEY)");
      return 2;
    }
    LanguageModel model = null;
    try {
      model = models.apply(options);
      TextOptimization.Result result = new TextOptimization(model)
          .optimize(options.text(), options.goal(), options.steps(), out::println);
      out.println();
      out.println("before: " + options.text());
      out.println("after:  " + result.text());
      out.println("tokens: " + result.usage().promptTokens() + " prompt + "
          + result.usage().completionTokens() + " completion in " + result.usage().requests()
          + " requests");
      return 0;
    } catch (TpoException e) {
      err.println("failed: " + e.getMessage());
      return 1;
    } finally {
      if (model instanceof AutoCloseable) {
        try {
          ((AutoCloseable) model).close();
        } catch (Exception e) {
          err.println("closing the model failed: " + e.getMessage());
        }
      }
    }
  }

  private static LanguageModel openAiModel(Options options) {
    OpenAiCompatibleModel.Builder b = OpenAiCompatibleModel.builder()
        .baseUrl(options.baseUrl()).model(options.model());
    if (options.apiKey() != null) {
      b.apiKey(options.apiKey());
    }
    return b.build();
  }

  /**
   * The parsed command line.
   *
   * @param baseUrl the server's base URL
   * @param model the model name
   * @param apiKey the API key from the environment, or null
   * @param goal the goal of the text
   * @param steps how many optimization steps
   * @param text the text to optimize
   */
  record Options(String baseUrl, String model, String apiKey, String goal, int steps,
      String text) {

    @Override
    public String toString() {
      return "Options{baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
          + (apiKey == null ? "unset" : "***") + ", steps=" + steps + "}";
    }

    static Options parse(String[] args, Map<String, String> env) {
      String baseUrl = env.getOrDefault("TPO_BASE_URL", DEFAULT_BASE_URL);
      String model = env.get("TPO_MODEL");
      String goal = DEFAULT_GOAL;
      int steps = 2;
      String text = DEFAULT_TEXT;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--base-url" -> baseUrl = value(args, ++i, a);
          case "--model" -> model = value(args, ++i, a);
          case "--goal" -> goal = value(args, ++i, a);
          case "--steps" -> steps = steps(value(args, ++i, a));
          default -> {
            if (a.startsWith("--")) {
              throw new IllegalArgumentException("unknown option " + a);
            }
            text = a;
          }
        }
      }
      if (model == null || model.isBlank()) {
        throw new IllegalArgumentException(
            "no model: pass --model NAME or set TPO_MODEL to a model the server serves");
      }
      return new Options(baseUrl, model, env.get("TPO_API_KEY"), goal, steps, text);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    private static int steps(String s) {
      try {
        int n = Integer.parseInt(s);
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("--steps must be a whole number >= 1, got " + s);
    }
  }
}
