/**
 * Textual gradient descent: {@link dev.tpo.textgrad.optim.TextualGradientDescent} (shared
 * settings) and {@link dev.tpo.textgrad.optim.TgdOptimizer} (one per run, with
 * {@code propose(n)}/{@code accept} and momentum history), the parsed {@link
 * dev.tpo.textgrad.optim.Candidate}s and {@link dev.tpo.textgrad.optim.DroppedChoice}s, and the
 * {@link dev.tpo.textgrad.optim.ValueTags} used both to ask for and to parse new values.
 */
package dev.tpo.textgrad.optim;
