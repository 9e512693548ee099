/**
 * Autograd for text, mirroring TextGrad: {@link dev.tpo.core.autograd.Variable},
 * {@link dev.tpo.core.autograd.TextualGradient}, {@link dev.tpo.core.autograd.Operation},
 * {@link dev.tpo.core.autograd.Backpropagation}, {@link dev.tpo.core.autograd.TextLoss} and
 * {@link dev.tpo.core.autograd.Optimizer}. The LLM-backed operations, losses and textual gradient
 * descent live in {@code tpo-textgrad}.
 */
package dev.tpo.core.autograd;
