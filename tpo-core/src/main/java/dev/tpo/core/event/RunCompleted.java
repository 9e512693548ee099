package dev.tpo.core.event;

import dev.tpo.core.model.TokenUsage;
import java.time.Duration;

/**
 * A run finished with an answer. Immutable; thread-safe.
 *
 * @param runId the run's id
 * @param bestScore the answer's score
 * @param usage total tokens of the run
 * @param elapsed wall time of the run
 */
public record RunCompleted(String runId, double bestScore, TokenUsage usage, Duration elapsed) {}
