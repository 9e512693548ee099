/**
 * The {@link dev.tpo.core.reward.RewardScorer} SPI (batch-first, raw scores in input order) and
 * its contract check. Implementations live in {@code tpo-textgrad} (HTTP scorers, LLM judge) and
 * {@code tpo-reward-djl} (in-process models).
 */
package dev.tpo.core.reward;
