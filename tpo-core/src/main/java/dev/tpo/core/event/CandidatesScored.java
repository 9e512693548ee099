package dev.tpo.core.event;

import java.util.List;

/**
 * A round's candidates were scored. Immutable; thread-safe.
 *
 * @param runId the run's id
 * @param round the round, 0 for the initial samples
 * @param scores the new candidates' scores, in order
 * @param bestScore the best score of the whole pool so far
 */
public record CandidatesScored(String runId, int round, List<Double> scores, double bestScore) {
  /**
   * Copies the scores.
   *
   * @param runId the run's id
   * @param round the round, 0 for the initial samples
   * @param scores the new candidates' scores, in order
   * @param bestScore the best score of the whole pool so far
   */
  public CandidatesScored {
    scores = List.copyOf(scores);
  }
}
