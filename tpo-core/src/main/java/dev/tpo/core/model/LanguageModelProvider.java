package dev.tpo.core.model;

/**
 * SPI: creates a policy {@link LanguageModel} from a textual spec such as {@code
 * llama:/models/qwen2.5-0.5b-instruct-q4_k_m.gguf} or {@code
 * hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf}. Modules register
 * implementations in {@code META-INF/services/dev.tpo.core.model.LanguageModelProvider}; {@link
 * LanguageModels#fromSpec(String)} finds them with {@link java.util.ServiceLoader}, so the
 * command-line tool ({@code --policy}, {@code TPO_POLICY}) and {@code Tpo.defaults()} accept any
 * model whose module is on the class path, the way {@link
 * dev.tpo.core.reward.RewardScorerProvider} does for reward models.
 *
 * <p>Implementations must be stateless and thread-safe; the models they create follow the {@link
 * LanguageModel} contract and may implement {@link AutoCloseable} (the caller then closes them).
 */
public interface LanguageModelProvider {

  /**
   * A short name for messages, for example {@code "llama.cpp"}.
   *
   * @return the name
   */
  String name();

  /**
   * Whether this provider handles the spec. Must not do I/O.
   *
   * @param spec the spec, trimmed and not blank
   * @return true when {@link #create(String)} should be called with it
   */
  boolean supports(String spec);

  /**
   * Creates the model. May download or load weights; failures are {@link
   * dev.tpo.core.error.TpoException}s whose message names the spec and the fix.
   *
   * @param spec the spec, one this provider {@link #supports(String) supports}
   * @return the model
   */
  LanguageModel create(String spec);

  /**
   * The spec of the model this provider offers when no policy is configured at all (for example
   * a small model run in process), for {@link LanguageModels#embeddedDefault()}. None by default.
   *
   * @return the spec, one this provider supports, or empty
   */
  default java.util.Optional<String> embeddedDefaultSpec() {
    return java.util.Optional.empty();
  }

  /**
   * The spec syntax this provider accepts, one line, for help texts and error messages.
   *
   * @return for example {@code "llama:/PATH/MODEL.gguf | hf:OWNER/REPO/FILE.gguf[@REVISION]"}
   */
  String syntax();
}
