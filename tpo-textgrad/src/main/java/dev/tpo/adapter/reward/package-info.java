/**
 * Reward scorers behind HTTP and an LLM judge, each a {@link dev.tpo.core.reward.RewardScorer}:
 * {@link dev.tpo.adapter.reward.VllmRewardScorer} (vLLM's {@code /pooling} and {@code /classify}),
 * {@link dev.tpo.adapter.reward.TeiRewardScorer} (text-embeddings-inference {@code /predict}) and
 * {@link dev.tpo.adapter.reward.JudgeRewardScorer} (a {@link dev.tpo.core.model.LanguageModel}
 * rating each response against a rubric), with the {@link dev.tpo.core.reward.RewardScorerProvider}s
 * that create them from the specs {@code vllm+http://HOST:PORT[/classify][?model=NAME]}, {@code
 * tei+http://HOST:PORT} and {@code judge}.
 */
package dev.tpo.adapter.reward;
