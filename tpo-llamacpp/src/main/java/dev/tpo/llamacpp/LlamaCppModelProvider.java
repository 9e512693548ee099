package dev.tpo.llamacpp;

import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.model.LanguageModelProvider;

/**
 * Registers {@code llama:PATH} and {@code hf:OWNER/REPO/FILE.gguf[@REVISION]} policy specs with
 * {@link dev.tpo.core.model.LanguageModels}. Stateless; thread-safe.
 */
public final class LlamaCppModelProvider implements LanguageModelProvider {
  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public LlamaCppModelProvider() {}

  @Override
  public String name() {
    return "llama.cpp";
  }

  @Override
  public boolean supports(String spec) {
    return LlamaCppModels.isSpec(spec);
  }

  @Override
  public LanguageModel create(String spec) {
    return LlamaCppModels.fromSpec(spec);
  }

  @Override
  public String syntax() {
    return LlamaCppModels.SYNTAX;
  }
}
