package dev.tpo.core.event;

/**
 * A run entered a phase: the model or scoring call of that phase follows, and ends with a {@link
 * PhaseCompleted} (or the run's {@link RunFailed}). Lets listeners time a phase from its start,
 * for example as a trace span. Immutable; thread-safe.
 *
 * @param runId the run's id
 * @param round the round, 0 for the initial sampling
 * @param phase which phase
 */
public record PhaseStarted(String runId, int round, Phase phase) {}
