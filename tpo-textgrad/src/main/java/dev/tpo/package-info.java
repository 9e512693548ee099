/**
 * The product's entry point: {@link dev.tpo.Tpo} runs Test-Time Preference Optimization (sample N
 * answers, score them with a reward model, turn the best/worst contrast into a textual loss, a
 * textual gradient and N rewritten answers, for D rounds) with any {@link
 * dev.tpo.core.model.LanguageModel} and any {@link dev.tpo.core.reward.RewardScorer}, and returns a
 * {@link dev.tpo.TpoResult} holding the answer, every scored candidate, per-round records, token
 * usage and timings. {@link dev.tpo.TpoMode} selects the algorithm (TPO, revision, Best-of-N).
 */
package dev.tpo;
