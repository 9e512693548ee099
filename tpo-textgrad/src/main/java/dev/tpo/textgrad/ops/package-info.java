/**
 * The LLM-backed operations of the text-autograd graph: {@link dev.tpo.textgrad.ops.LlmCall},
 * {@link dev.tpo.textgrad.ops.FormattedLlmCall}, {@link dev.tpo.textgrad.ops.FunctionCall} and
 * {@link dev.tpo.textgrad.ops.Sum}. Backward asks the backward model for critique only, never a
 * rewrite; {@link dev.tpo.textgrad.ops.LlmOperation} is the building block for custom ones.
 */
package dev.tpo.textgrad.ops;
