/**
 * Prompt templates as data: {@link dev.tpo.textgrad.prompt.PromptTemplate} (the one small
 * renderer, {@code {{name}}} placeholders filled in one pass), {@link
 * dev.tpo.textgrad.prompt.PromptTemplates} (the built-in set read from
 * {@code dev/tpo/textgrad/prompts/}, any of which a caller can replace by name) and {@link
 * dev.tpo.textgrad.prompt.ContextBudget} (keeps contexts within a token budget).
 */
package dev.tpo.textgrad.prompt;
