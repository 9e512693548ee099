package dev.tpo.core.event;

/**
 * The update step of a round returned: how many of the requested choices could be parsed into new
 * candidates and how many were dropped. Zero proposed means the round failed and the best response
 * so far stands. Immutable; thread-safe.
 *
 * @param runId the run's id
 * @param round the round, from 1
 * @param proposed parsed candidates, at least 0
 * @param dropped choices that could not be parsed, at least 0
 */
public record CandidatesProposed(String runId, int round, int proposed, int dropped) {}
