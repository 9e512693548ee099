package dev.tpo.core.testing;

import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.ScoredBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A fake {@link RewardScorer} for tests: scores each (prompt, response) pair with a function and
 * records every call. No model, no network.
 *
 * <p>Thread-safe when the scoring function is.
 */
public final class FakeRewardScorer implements RewardScorer {

  /**
   * One recorded call.
   *
   * @param prompt the prompt
   * @param responses the responses scored together
   */
  public record Call(String prompt, List<String> responses) {}

  private final BiFunction<String, String, Double> function;
  private final List<Call> calls = new ArrayList<>();

  private FakeRewardScorer(BiFunction<String, String, Double> function) {
    this.function = function;
  }

  /**
   * Scores by a function of prompt and response.
   *
   * @param function the function
   * @return the scorer
   */
  public static FakeRewardScorer scoring(BiFunction<String, String, Double> function) {
    return new FakeRewardScorer(function);
  }

  /**
   * Scores a response by its length in characters: longer is better.
   *
   * @return the scorer
   */
  public static FakeRewardScorer byLength() {
    return new FakeRewardScorer((prompt, response) -> (double) response.length());
  }

  /**
   * Scores known responses from a table, any other with a default.
   *
   * @param table response text to score
   * @param otherwise the score of responses not in the table
   * @return the scorer
   */
  public static FakeRewardScorer fromTable(Map<String, Double> table, double otherwise) {
    Map<String, Double> copy = Map.copyOf(table);
    return new FakeRewardScorer((prompt, response) -> copy.getOrDefault(response, otherwise));
  }

  @Override
  public ScoredBatch scoreAll(String prompt, List<String> responses) {
    synchronized (calls) {
      calls.add(new Call(prompt, List.copyOf(responses)));
    }
    List<Double> out = new ArrayList<>(responses.size());
    for (String r : responses) {
      out.add(function.apply(prompt, r));
    }
    return ScoredBatch.of(out);
  }

  /**
   * Every call received so far.
   *
   * @return an immutable snapshot
   */
  public List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  @Override
  public String name() {
    return "fake";
  }
}
