package dev.tpo.examples.batch;

import dev.tpo.Tpo;
import dev.tpo.TpoOutcome;
import dev.tpo.TpoRequest;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorers;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Optimizes several prompts with {@code concurrency} runs in flight and prints one line per prompt:
 * its score or its failure. A failure of one prompt never stops the others.
 *
 * <pre>
 * export TPO_BASE_URL=http://localhost:8000/v1 TPO_MODEL=Qwen/Qwen2.5-7B-Instruct
 * export TPO_REWARD=vllm+http://localhost:8001      # or judge
 * java -cp tpo-examples/target/tpo.jar dev.tpo.examples.batch.OptimizeAllExample
 * </pre>
 *
 * <p>For datasets, resuming and a report, use the {@code tpo run} command instead (docs/cli.md).
 * Not meant to be shared: a command-line program.
 *
 * <p>Not instantiable; its static methods keep no shared state and are thread-safe.
 */
public final class OptimizeAllExample {
  static final List<String> PROMPTS = List.of(
      "Give three tips for writing readable unit tests.",
      "Explain what a race condition is with a short example.",
      "Suggest a name for a cat that loves boxes, and say why.",
      "What is the difference between TCP and UDP, in two sentences?");

  private OptimizeAllExample() {}

  /**
   * Entry point.
   *
   * @param args {@code [concurrency]}, default 4
   * @throws Exception when closing the reward scorer fails (a scorer that is {@link AutoCloseable}
   *     may throw any exception from {@code close()})
   */
  public static void main(String[] args) throws Exception {
    int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    try (OpenAiCompatibleModel model = OpenAiCompatibleModel.builder()
        .baseUrl(env("TPO_BASE_URL", "http://localhost:8000/v1"))
        .model(env("TPO_MODEL", "Qwen/Qwen2.5-7B-Instruct"))
        .apiKey(System.getenv("TPO_API_KEY"))
        .build()) {
      RewardScorer scorer = RewardScorers.fromSpec(env("TPO_REWARD", "judge"),
          RewardScorerContext.DEFAULT.withJudgeModel(model));
      try {
        run(model, scorer, PROMPTS, concurrency, System.out);
      } finally {
        if (scorer instanceof AutoCloseable c) {
          c.close();
        }
      }
    }
  }

  /**
   * Optimizes every prompt and prints one line each, in input order.
   *
   * @param model the policy
   * @param scorer the reward scorer
   * @param prompts the prompts
   * @param concurrency runs in flight at once
   * @param out where to print
   * @return the outcomes, in input order
   */
  public static List<TpoOutcome> run(LanguageModel model, RewardScorer scorer,
      List<String> prompts, int concurrency, PrintStream out) {
    Tpo tpo = Tpo.builder().policy(model).scorer(scorer).samples(4).iterations(2).build();
    List<TpoRequest> requests = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      requests.add(TpoRequest.builder(prompts.get(i)).id("prompt-" + i).build());
    }
    List<TpoOutcome> outcomes = tpo.optimizeAll(requests, concurrency);
    for (TpoOutcome o : outcomes) {
      String head = o.request().id().orElse("?") + ": ";
      if (o.succeeded()) {
        var r = o.result().orElseThrow();
        out.printf(Locale.ROOT, "%sscore %.3f after %d rounds, %d tokens%n", head, r.bestScore(),
            r.rounds().size(), r.usage().totalTokens());
      } else {
        out.println(head + "FAILED: " + o.error().map(Throwable::getMessage).orElse("?"));
      }
    }
    return outcomes;
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
