/**
 * Example: optimizing a short text with the TextGrad engine ({@code dev.tpo.textgrad}) and a
 * {@link dev.tpo.core.model.LanguageModel} of your choice. {@link
 * dev.tpo.examples.textgrad.TextOptimization} is the whole loop (evaluate, backward, step) for any
 * model; {@link dev.tpo.examples.textgrad.TextGradExample} is its command line over an
 * OpenAI-compatible server.
 */
package dev.tpo.examples.textgrad;
