/**
 * The TextGrad engine: makes the {@code tpo-core} autograd contracts run with language models.
 * {@link dev.tpo.textgrad.TextGradEngine} is the shared, immutable configuration (forward and
 * backward models, sampling settings, prompt templates, context budget); {@link
 * dev.tpo.textgrad.Sampling} holds the settings of one kind of request; every model call is kept as
 * a {@link dev.tpo.textgrad.ModelCall} so token usage can be summed ({@link
 * dev.tpo.textgrad.TextGraph}, {@link dev.tpo.textgrad.Metered}); {@link
 * dev.tpo.textgrad.LlmComponentBuilder} is the part every LLM-backed component's builder shares
 * (model and sampling, defaulting to the engine's). Operations live in {@code ops},
 * losses in {@code loss}, textual gradient descent in {@code optim}, templates in {@code prompt}.
 */
package dev.tpo.textgrad;
