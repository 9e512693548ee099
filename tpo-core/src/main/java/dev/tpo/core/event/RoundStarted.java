package dev.tpo.core.event;

/**
 * A refinement round began: chosen and rejected were picked from the whole pool. Immutable;
 * thread-safe.
 *
 * @param runId the run's id
 * @param round the round, from 1
 * @param chosenScore the score of the chosen (best) response of the pool
 * @param rejectedScore the score of the rejected (worst) response of the pool
 */
public record RoundStarted(String runId, int round, double chosenScore, double rejectedScore) {}
