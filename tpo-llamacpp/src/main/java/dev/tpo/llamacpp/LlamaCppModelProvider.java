package dev.tpo.llamacpp;

import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.model.LanguageModelProvider;
import java.util.Optional;

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

  /**
   * Loads the model; the embedded default spec goes through {@link
   * LlamaCppModels#embeddedDefault()}, which says on stderr which model is used and where it is
   * cached.
   *
   * @param spec the spec
   * @return the loaded model
   */
  @Override
  public LanguageModel create(String spec) {
    if (spec.trim().equals(LlamaCppModels.DEFAULT_MODEL_SPEC)) {
      return LlamaCppModels.embeddedDefault();
    }
    return LlamaCppModels.fromSpec(spec);
  }

  @Override
  public Optional<String> embeddedDefaultSpec() {
    return Optional.of(LlamaCppModels.DEFAULT_MODEL_SPEC);
  }

  @Override
  public String syntax() {
    return LlamaCppModels.SYNTAX;
  }
}
