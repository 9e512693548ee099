package dev.tpo.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.core.model.TokenUsage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The outcome of one optimized prompt, as the results file and the trace record it.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param answer the final answer (the best-scoring candidate of the pool)
 * @param score the final answer's score
 * @param pool every scored candidate of every round
 * @param rounds what happened in each round, round 0 first
 * @param usage tokens and requests spent on the prompt
 * @param details the library's full result as JSON, kept in the trace, if any
 */
public record PromptOutcome(
    String answer,
    double score,
    List<Candidate> pool,
    List<RoundTrace> rounds,
    TokenUsage usage,
    Optional<JsonNode> details) {

  /**
   * Validates and copies the fields.
   *
   * @param answer the final answer (the best-scoring candidate of the pool)
   * @param score the final answer's score
   * @param pool every scored candidate of every round
   * @param rounds what happened in each round, round 0 first
   * @param usage tokens and requests spent on the prompt
   * @param details the library's full result as JSON, kept in the trace, if any
   */
  public PromptOutcome {
    Objects.requireNonNull(answer, "answer");
    pool = List.copyOf(pool);
    rounds = List.copyOf(rounds);
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(details, "details");
  }

  /**
   * The best score among round 0's candidates (the Best-of-N baseline).
   *
   * @return the score, empty when round 0 has no candidate
   */
  public OptionalDouble initialBestScore() {
    return pool.stream().filter(c -> c.round() == 0).mapToDouble(Candidate::score).max();
  }

  /**
   * One scored candidate.
   *
   * <p>Immutable value; thread-safe.
   *
   * @param text the full response text
   * @param score its reward score
   * @param round the round that produced it, 0 for the initial samples
   */
  public record Candidate(String text, double score, int round) {
    /**
     * Validates the text.
     *
     * @param text the full response text
     * @param score its reward score
     * @param round the round that produced it, 0 for the initial samples
     */
    public Candidate {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * One round of the loop as the report shows it. Round 0 is the initial sampling: it has no loss
   * or gradient.
   *
   * <p>Immutable value; thread-safe.
   *
   * @param round the round, from 0
   * @param bestScore the best score of the whole pool after the round
   * @param chosen the chosen (best) response the round started from, if any
   * @param rejected the rejected (worst) response, if the mode uses one
   * @param loss the textual loss (critique) of the round, if any
   * @param gradient the textual gradient of the round, if any
   */
  public record RoundTrace(
      int round,
      double bestScore,
      Optional<String> chosen,
      Optional<String> rejected,
      Optional<String> loss,
      Optional<String> gradient) {
    /**
     * Validates the fields.
     *
     * @param round the round, from 0
     * @param bestScore the best score of the whole pool after the round
     * @param chosen the chosen (best) response the round started from, if any
     * @param rejected the rejected (worst) response, if the mode uses one
     * @param loss the textual loss (critique) of the round, if any
     * @param gradient the textual gradient of the round, if any
     */
    public RoundTrace {
      Objects.requireNonNull(chosen, "chosen");
      Objects.requireNonNull(rejected, "rejected");
      Objects.requireNonNull(loss, "loss");
      Objects.requireNonNull(gradient, "gradient");
    }
  }
}
