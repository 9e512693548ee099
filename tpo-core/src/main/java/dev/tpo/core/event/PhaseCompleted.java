package dev.tpo.core.event;

import dev.tpo.core.model.TokenUsage;
import java.time.Duration;

/**
 * One model or scoring call of a run finished. Immutable; thread-safe.
 *
 * @param runId the run's id
 * @param round the round, 0 for the initial sampling
 * @param phase which phase
 * @param usage tokens spent by the call (for scoring: an LLM judge's tokens and requests, {@link
 *     TokenUsage#ZERO} for a reward model)
 * @param elapsed wall time of the call
 */
public record PhaseCompleted(
    String runId, int round, Phase phase, TokenUsage usage, Duration elapsed) {}
