/**
 * In-process reward models through DJL: {@link dev.tpo.reward.djl.DjlRewardScorer} runs an
 * exported Hugging Face sequence-classification reward model (ONNX through ONNX Runtime, or
 * TorchScript through PyTorch) on the CPU or a GPU, fully offline, and {@link
 * dev.tpo.reward.djl.DjlRewardScorerProvider} makes it available to {@code
 * RewardScorers.fromSpec} as {@code djl:/path/to/model-dir}.
 */
package dev.tpo.reward.djl;
