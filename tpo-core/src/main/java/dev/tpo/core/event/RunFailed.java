package dev.tpo.core.event;

import java.time.Duration;

/**
 * A run ended with an exception. Immutable; thread-safe.
 *
 * @param runId the run's id
 * @param error the failure
 * @param elapsed wall time until the failure
 */
public record RunFailed(String runId, Throwable error, Duration elapsed) {}
