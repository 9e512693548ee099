/**
 * The OpenAI-compatible policy model: {@link dev.tpo.adapter.openai.OpenAiCompatibleModel}, a
 * {@link dev.tpo.core.model.LanguageModel} on the OpenAI Java SDK for vLLM, SGLang, llama.cpp,
 * Ollama and OpenAI, and {@link dev.tpo.adapter.openai.ModelProbe}, which checks a server's
 * {@code /v1/models} list before a run. See {@code docs/servers.md} for how to start each server.
 */
package dev.tpo.adapter.openai;
