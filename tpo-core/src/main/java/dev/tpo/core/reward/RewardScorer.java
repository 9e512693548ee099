package dev.tpo.core.reward;

import dev.tpo.core.error.TpoException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * SPI: a reward model that scores candidate responses to one prompt. Batch first: the abstract
 * method scores a whole list, so implementations can batch on the GPU or send concurrent requests;
 * scoring one response is a default method.
 *
 * <p>Contract: return exactly one finite score per response, in input order; higher is better; raw
 * values (for example the reward model's logit, no sigmoid). Only the order matters to TPO, but the
 * raw values are reported. Wrap any implementation with {@link #checked(RewardScorer)} to enforce
 * the contract with clear messages; the TPO loop does so itself.
 *
 * <p>Implementations must be thread-safe: one instance serves many concurrent TPO runs.
 */
@FunctionalInterface
public interface RewardScorer {

  /**
   * Scores every response to the prompt.
   *
   * @param prompt the user's query
   * @param responses the candidate responses, possibly empty
   * @return one raw score per response, in the same order
   * @throws TpoException when scoring fails
   */
  List<Double> score(String prompt, List<String> responses);

  /**
   * Scores every response without blocking the caller. The default runs {@link #score} on the
   * calling thread; network scorers override it with real asynchronous requests.
   *
   * @param prompt the user's query
   * @param responses the candidate responses
   * @return a future completed with the scores, or exceptionally with the failure
   */
  default CompletableFuture<List<Double>> scoreAsync(String prompt, List<String> responses) {
    try {
      return CompletableFuture.completedFuture(score(prompt, responses));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Scores every response without blocking the caller, and says how many language-model tokens
   * the scoring spent. The default reports {@link dev.tpo.core.model.TokenUsage#ZERO} around
   * {@link #scoreAsync}; scorers that call a language model (an LLM judge) override it so that a
   * TPO run counts those tokens in its usage and its token budget.
   *
   * @param prompt the user's query
   * @param responses the candidate responses
   * @return a future completed with the scores and the usage (null when {@link #scoreAsync}
   *     gave null, which {@link #checked(RewardScorer)} reports), or exceptionally with the failure
   */
  default CompletableFuture<ScoredBatch> scoreWithUsageAsync(String prompt,
      List<String> responses) {
    return scoreAsync(prompt, responses).thenApply(s -> s == null ? null : ScoredBatch.of(s));
  }

  /**
   * Scores a single response.
   *
   * @param prompt the user's query
   * @param response the response
   * @return its raw score
   */
  default double score(String prompt, String response) {
    List<Double> scores = ScoreContract.check(name(), 1, score(prompt, List.of(response)));
    return scores.get(0);
  }

  /**
   * A short name for messages and traces. Never contains a credential. The default is the class's
   * simple name, and for a lambda {@code lambda in CLASS} (the class that wrote it) rather than its
   * hidden class's name.
   *
   * @return the name
   */
  default String name() {
    String n = getClass().getName();
    int lambda = n.indexOf("$$Lambda");
    return lambda > 0 ? "lambda in " + n.substring(0, lambda) : getClass().getSimpleName();
  }

  /**
   * Wraps a scorer so every result is checked against the contract: exactly one finite score per
   * response. Violations raise {@link dev.tpo.core.error.RewardScoringException} naming the scorer.
   *
   * @param scorer the scorer to wrap
   * @return a checking scorer (the same instance when it already checks)
   */
  static RewardScorer checked(RewardScorer scorer) {
    return scorer instanceof CheckedRewardScorer ? scorer : new CheckedRewardScorer(scorer);
  }
}
