package dev.tpo.examples.quickstart;

import dev.tpo.Tpo;
import dev.tpo.TpoEnvironment;
import dev.tpo.TpoResult;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.event.Phase;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorers;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Runs TPO (D=2, N=5) on one prompt and prints the answer, its score, how the best score moved
 * per round and what each phase cost.
 *
 * <pre>
 * # a policy served by vLLM and a reward model served by vLLM's pooling runner
 * export TPO_BASE_URL=http://localhost:8000/v1 TPO_MODEL=Qwen/Qwen2.5-7B-Instruct
 * export TPO_REWARD=vllm+http://localhost:8001
 * java -cp tpo-examples.jar dev.tpo.examples.quickstart.Quickstart "How do I boil an egg?"
 * # the same through Tpo.defaults(), configured from the same variables:
 * java -cp tpo-examples.jar dev.tpo.examples.quickstart.Quickstart --defaults "How do I boil an egg?"
 * </pre>
 *
 * <p>Not meant to be shared: a command-line program.
 *
 * <p>Not instantiable; its static methods keep no shared state and are thread-safe.
 */
public final class Quickstart {
  private Quickstart() {}

  /**
   * Entry point.
   *
   * @param args {@code [--defaults] [prompt]}
   */
  public static void main(String[] args) {
    boolean defaults = args.length > 0 && args[0].equals("--defaults");
    String prompt = args.length > (defaults ? 1 : 0)
        ? args[args.length - 1]
        : "Explain in three sentences why the sky is blue.";
    if (defaults) {
      // Configured from TPO_BASE_URL, TPO_MODEL, TPO_API_KEY and TPO_REWARD, created on first use.
      print(Tpo.defaults().optimize(prompt), System.out);
      return;
    }
    try (OpenAiCompatibleModel policy = OpenAiCompatibleModel.builder()
        .baseUrl(env(TpoEnvironment.BASE_URL, "http://localhost:8000/v1"))
        .model(env(TpoEnvironment.MODEL, "Qwen/Qwen2.5-7B-Instruct"))
        .apiKey(System.getenv(TpoEnvironment.API_KEY))
        .build()) {
      RewardScorer scorer = RewardScorers.fromSpec(
          env(TpoEnvironment.REWARD, "vllm+http://localhost:8001"),
          RewardScorerContext.DEFAULT.withJudgeModel(policy));
      try {
        Tpo tpo = Tpo.builder()
            .policy(policy)
            .scorer(scorer)
            .samples(5)
            .iterations(2)
            .build();
        print(tpo.optimize(prompt), System.out);
      } finally {
        if (scorer instanceof AutoCloseable) {
          ((AutoCloseable) scorer).close();
        }
      }
    } catch (Exception e) {
      throw e instanceof RuntimeException ? (RuntimeException) e : new IllegalStateException(e);
    }
  }

  /**
   * Prints a result: the answer, its score and round, the best score after each round and the
   * tokens and time of each phase.
   *
   * @param result the result
   * @param out where to print
   */
  public static void print(TpoResult result, PrintStream out) {
    out.println(result.answer());
    out.println();
    out.printf(Locale.ROOT, "score %.3f (round %d of %d, %s, stopped: %s)%n", result.bestScore(),
        result.best().round(), result.settings().iterations(), result.mode(),
        result.stopReason());
    double best = Double.NEGATIVE_INFINITY;
    for (int round = 0; round <= result.rounds().size(); round++) {
      final int r = round;
      best = Math.max(best, result.pool().stream().filter(e -> e.round() == r)
          .mapToDouble(e -> e.score()).max().orElse(best));
      out.printf(Locale.ROOT, "  best after round %d: %.3f%n", round, best);
    }
    for (Phase phase : Phase.values()) {
      if (result.phases().containsKey(phase)) {
        out.printf(Locale.ROOT, "  %-8s %6d tokens %6d ms%n", phase,
            result.phase(phase).usage().totalTokens(), result.phase(phase).elapsedMillis());
      }
    }
    out.printf(Locale.ROOT, "  total    %6d tokens %6d ms%n", result.usage().totalTokens(),
        result.elapsedMillis());
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
