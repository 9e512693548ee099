package dev.tpo;

import dev.tpo.core.error.ConfigurationException;
import java.util.Locale;

/**
 * How the loss, gradient and update requests of a refinement round are laid out. Both layouts send
 * the same requests (1 + 3D per prompt; n=N for the sampling and update requests, n=1 for the loss
 * and gradient) with the same instructions; they differ in where the text sits, which decides how
 * much of each prompt a server's prefix cache (vLLM's automatic prefix caching, SGLang's radix
 * cache, llama.cpp's slot cache) can serve from what it has already computed.
 *
 * <p>Immutable; thread-safe.
 */
public enum PromptLayout {
  /**
   * The reference's prompts (the default): the loss's system prompt quotes the query and the
   * rejected answer and its user message is the chosen answer; the gradient and update requests
   * are TextGrad's, each with its own system prompt and the loss conversation inside. Their
   * prompts share little text from the start.
   */
  REFERENCE,
  /**
   * Shared prefixes: the loss, gradient and update requests of a round start with the same block,
   * the fixed instructions of the three tasks ({@code shared-system}) and then the query, the
   * rejected and the chosen answers ({@code shared-block}), and differ only after it: the loss
   * task, then the evaluation and the gradient task, or the evaluation, the feedback and the update
   * task ({@code shared-loss}, {@code shared-gradient}, {@code shared-update}). The gradient
   * request extends the loss request, and the update request shares the gradient request's text up
   * to the evaluation. Every instruction of the reference's prompts is kept. Opt-in until its
   * answers are compared with the reference's on real models.
   */
  PREFIX_SHARED;

  /**
   * Finds a layout by name, ignoring case and accepting {@code -} for {@code _}: {@code
   * reference}, {@code prefix-shared} (or {@code shared}).
   *
   * @param name the name
   * @return the layout
   * @throws ConfigurationException naming the value and the accepted names when unknown
   */
  public static PromptLayout of(String name) {
    String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    switch (n) {
      case "REFERENCE":
        return REFERENCE;
      case "PREFIX_SHARED":
      case "SHARED":
        return PREFIX_SHARED;
      default:
        throw new ConfigurationException(
            "unknown prompt layout '" + name + "'; use reference or prefix-shared");
    }
  }
}
