package dev.tpo.core.event;

/**
 * Something degraded without failing the run: a candidate cut off at the token limit, an update
 * choice that could not be parsed and was dropped, a server that ignored {@code n}. Immutable;
 * thread-safe.
 *
 * @param runId the run's id
 * @param round the round it happened in
 * @param message what happened and what it means
 */
public record RunWarning(String runId, int round, String message) {}
