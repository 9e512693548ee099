/**
 * Example: a custom {@link dev.tpo.core.reward.RewardScorer} (a rule-based rubric, no reward model)
 * plugged into {@link dev.tpo.Tpo}.
 */
package dev.tpo.examples.customreward;
