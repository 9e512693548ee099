/**
 * LLM-backed losses: {@link dev.tpo.textgrad.loss.LlmTextLoss} (an evaluation instruction as the
 * system prompt, the evaluated variable as the user message) and {@link
 * dev.tpo.textgrad.loss.ScoredTextLoss}, which also parses a numeric score.
 */
package dev.tpo.textgrad.loss;
