/**
 * The TextGrad engine: makes the {@code tpo-core} autograd contracts run with language models.
 * {@link dev.tpo.textgrad.TextGradEngine} is the shared, immutable configuration (forward and
 * backward models, sampling settings, prompt templates, context budget); {@link
 * dev.tpo.textgrad.Sampling} holds the settings of one kind of request for a standalone engine (a
 * TPO run leaves it unset and fills every request from its {@code TpoSettings} in one interceptor);
 * the engine records nothing itself: put a {@link dev.tpo.core.model.CallRecorder} on its models to
 * keep every call as a {@link dev.tpo.core.model.CallRecord}; {@link
 * dev.tpo.textgrad.LlmComponentBuilder} is the part every LLM-backed component's builder shares
 * (model and sampling, defaulting to the engine's). Operations live in {@code ops},
 * losses in {@code loss}, textual gradient descent in {@code optim}, templates in {@code prompt}.
 */
package dev.tpo.textgrad;
