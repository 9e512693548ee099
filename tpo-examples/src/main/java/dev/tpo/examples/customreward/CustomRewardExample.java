package dev.tpo.examples.customreward;

import dev.tpo.Tpo;
import dev.tpo.TpoResult;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.model.LanguageModel;
import java.util.List;
import java.util.Locale;

/**
 * Runs TPO with a custom, rule-based {@link RubricRewardScorer} instead of a reward model.
 *
 * <pre>
 * export TPO_BASE_URL=http://localhost:8000/v1 TPO_MODEL=Qwen/Qwen2.5-7B-Instruct
 * java -cp tpo-examples/target/tpo.jar dev.tpo.examples.customreward.CustomRewardExample
 * </pre>
 *
 * <p>Not meant to be shared: a command-line program.
 *
 * <p>Not instantiable; its static methods keep no shared state and are thread-safe.
 */
public final class CustomRewardExample {
  static final String PROMPT = "How should I store user passwords in a web application?";

  private CustomRewardExample() {}

  /**
   * Entry point.
   *
   * @param args {@code [prompt]}
   */
  public static void main(String[] args) {
    String prompt = args.length > 0 ? args[0] : PROMPT;
    try (OpenAiCompatibleModel model = OpenAiCompatibleModel.builder()
        .baseUrl(env("TPO_BASE_URL", "http://localhost:8000/v1"))
        .model(env("TPO_MODEL", "Qwen/Qwen2.5-7B-Instruct"))
        .apiKey(System.getenv("TPO_API_KEY"))
        .build()) {
      TpoResult r = run(model, prompt);
      System.out.println(r.answer());
      System.out.printf(Locale.ROOT, "%nrubric score %.2f (round %d)%n", r.bestScore(),
          r.best().round());
    }
  }

  /**
   * Optimizes one prompt with the rubric scorer: 4 samples, 2 rounds.
   *
   * @param model the policy
   * @param prompt the prompt
   * @return the result
   */
  public static TpoResult run(LanguageModel model, String prompt) {
    RubricRewardScorer scorer =
        new RubricRewardScorer(List.of("bcrypt", "argon2", "salt", "never plain"), 150);
    return Tpo.builder().policy(model).scorer(scorer).samples(4).iterations(2).build()
        .optimize(prompt);
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
