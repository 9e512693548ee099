package dev.tpo.core.reward;

import dev.tpo.core.error.TpoException;
import java.util.List;
import java.util.OptionalDouble;

/**
 * SPI: a reward model that scores candidate responses to one prompt. One abstract method, {@link
 * #scoreAll}, scores a whole batch and says what the scoring spent (as langchain4j's {@code
 * ScoringModel.scoreAll}); the other methods are conveniences built on it. Batch first, so
 * implementations can batch on the GPU or send concurrent requests.
 *
 * <p>Contract: return exactly one finite score per response, in input order; higher is better; raw
 * values (for example the reward model's logit, no sigmoid). Only the order matters to TPO, but the
 * raw values are reported. Wrap any implementation with {@link #checked(RewardScorer)} to enforce
 * the contract with clear messages; the TPO loop does so itself.
 *
 * <p>A lambda is a scorer: {@code (prompt, responses) -> ScoredBatch.of(myScores(responses))}.
 *
 * <p>Implementations must be thread-safe: one instance serves many concurrent TPO runs, each on
 * its own thread, so {@link #scoreAll} may block (network scorers wait for their requests there).
 */
@FunctionalInterface
public interface RewardScorer {

  /**
   * Scores every response to the prompt and reports the language-model tokens the scoring spent:
   * {@link dev.tpo.core.model.TokenUsage#ZERO} for a reward model, the judge's requests for an LLM
   * judge, so that a TPO run counts them in its usage and token budget.
   *
   * @param prompt the user's query
   * @param responses the candidate responses, possibly empty
   * @return one raw score per response, in the same order, with the usage
   * @throws TpoException when scoring fails
   */
  ScoredBatch scoreAll(String prompt, List<String> responses);

  /**
   * Scores every response to the prompt: the scores of {@link #scoreAll}.
   *
   * @param prompt the user's query
   * @param responses the candidate responses, possibly empty
   * @return one raw score per response, in the same order
   * @throws TpoException when scoring fails
   */
  default List<Double> score(String prompt, List<String> responses) {
    ScoredBatch batch = scoreAll(prompt, responses);
    return batch == null ? ScoreContract.check(name(), responses.size(), null) : batch.scores();
  }

  /**
   * Scores a single response, checked against the contract.
   *
   * @param prompt the user's query
   * @param response the response
   * @return its raw score
   * @throws TpoException when scoring fails or breaks the contract
   */
  default double score(String prompt, String response) {
    return ScoreContract.check(name(), 1, score(prompt, List.of(response))).get(0);
  }

  /**
   * The highest score this scorer can give, when it is bounded: an LLM judge's top rating, for
   * example. A TPO run with {@code stopAtMaxScore} stops refining once its best answer reaches it.
   * Reward models are unbounded: the default is empty. Wrappers pass their delegate's through.
   *
   * @return the maximum score, or empty when scores are unbounded
   */
  default OptionalDouble maxScore() {
    return OptionalDouble.empty();
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
