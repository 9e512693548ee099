/**
 * llama.cpp in process: {@link dev.tpo.llamacpp.LlamaCppModel}, a {@link
 * dev.tpo.core.model.LanguageModel} over GGUF models through the Java binding {@code
 * de.kherud:llama}; {@link dev.tpo.llamacpp.LlamaCppModels} for {@code llama:} and {@code hf:}
 * specs and the embedded default model; {@link dev.tpo.llamacpp.LlamaCppModelProvider} registers
 * the specs with {@link dev.tpo.core.model.LanguageModels}.
 */
package dev.tpo.llamacpp;
