package dev.tpo.core.event;

import java.time.Instant;

/**
 * A run began. Immutable; thread-safe.
 *
 * @param runId the run's id
 * @param prompt the user's prompt
 * @param at when it began
 */
public record RunStarted(String runId, String prompt, Instant at) {}
