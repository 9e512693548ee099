package dev.tpo.core.model;

import dev.tpo.core.error.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds a policy {@link LanguageModel} for a textual spec among the {@link LanguageModelProvider}s
 * on the class path. Fails loudly: no provider names the accepted syntaxes and the artifact to
 * add; several providers for one spec are listed.
 *
 * <p>Stateless; thread-safe.
 */
public final class LanguageModels {
  private LanguageModels() {}

  /**
   * Creates the model the spec names, using the providers visible to this class's class loader.
   *
   * @param spec for example {@code llama:/models/x.gguf} or {@code hf:OWNER/REPO/FILE.gguf}
   * @return the model; close it when it is {@link AutoCloseable}
   * @throws ConfigurationException when no provider, or more than one, accepts the spec
   */
  public static LanguageModel fromSpec(String spec) {
    return fromSpec(spec, providers());
  }

  /**
   * Creates the model the spec names, choosing among the given providers.
   *
   * @param spec the spec
   * @param providers the providers to choose from
   * @return the model
   * @throws ConfigurationException when no provider, or more than one, accepts the spec
   */
  public static LanguageModel fromSpec(String spec, List<LanguageModelProvider> providers) {
    if (spec == null || spec.isBlank()) {
      throw new ConfigurationException(
          "policy model spec is empty: give one of " + syntaxes(providers));
    }
    String s = spec.trim();
    List<LanguageModelProvider> matching = new ArrayList<>();
    for (LanguageModelProvider p : providers) {
      if (p.supports(s)) {
        matching.add(p);
      }
    }
    if (matching.isEmpty()) {
      throw new ConfigurationException(
          "no language model provider accepts the spec '" + s + "'. Accepted: "
              + syntaxes(providers) + ". In-process GGUF models (llama:, hf:) come with the"
              + " artifact dev.tpo:tpo-llamacpp: add it to the class path");
    }
    if (matching.size() > 1) {
      throw new ConfigurationException(
          "the policy spec '" + s + "' is accepted by several providers ("
              + matching.stream().map(LanguageModelProvider::name).collect(Collectors.joining(", "))
              + "); remove one of their modules from the class path");
    }
    return matching.get(0).create(s);
  }

  /**
   * The embedded default model: the first provider on the class path that offers one ({@link
   * LanguageModelProvider#embeddedDefaultSpec()}) creates it. With tpo-llamacpp that is a small
   * instruct model run in process, downloaded once into a cache.
   *
   * @return the model; close it when it is {@link AutoCloseable}
   * @throws ConfigurationException when no provider offers one
   */
  public static LanguageModel embeddedDefault() {
    return embeddedDefault(providers());
  }

  /**
   * The embedded default model among the given providers.
   *
   * @param providers the providers to choose from
   * @return the model
   * @throws ConfigurationException when none offers one
   */
  public static LanguageModel embeddedDefault(List<LanguageModelProvider> providers) {
    for (LanguageModelProvider p : providers) {
      java.util.Optional<String> spec = p.embeddedDefaultSpec();
      if (spec.isPresent()) {
        return p.create(spec.get());
      }
    }
    throw new ConfigurationException(
        "no policy model is configured and no embedded model is on the class path: set a policy"
            + " server's base URL (or TPO_POLICY), or add the artifact dev.tpo:tpo-llamacpp to run"
            + " a small model in process");
  }

  /**
   * Whether some provider on the class path accepts the spec (no I/O).
   *
   * @param spec the spec
   * @return true when {@link #fromSpec(String)} would find a provider
   */
  public static boolean isSupported(String spec) {
    return spec != null
        && !spec.isBlank()
        && providers().stream().anyMatch(p -> p.supports(spec.trim()));
  }

  /**
   * The providers registered with {@link ServiceLoader}, in class-path order.
   *
   * @return an immutable list
   */
  public static List<LanguageModelProvider> providers() {
    List<LanguageModelProvider> list = new ArrayList<>();
    ServiceLoader.load(LanguageModelProvider.class, LanguageModels.class.getClassLoader())
        .forEach(list::add);
    return List.copyOf(list);
  }

  private static String syntaxes(List<LanguageModelProvider> providers) {
    if (providers.isEmpty()) {
      return "(no language model provider on the class path)";
    }
    return providers.stream().map(LanguageModelProvider::syntax).collect(Collectors.joining(" | "));
  }
}
