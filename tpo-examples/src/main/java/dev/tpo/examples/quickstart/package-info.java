/**
 * The quick start: TPO with an OpenAI-compatible policy server (vLLM, SGLang, llama.cpp, Ollama,
 * OpenAI) and a reward scorer named by a spec, through {@link dev.tpo.Tpo#builder()}, and the
 * same through the environment-configured {@link dev.tpo.Tpo#defaults()}.
 */
package dev.tpo.examples.quickstart;
