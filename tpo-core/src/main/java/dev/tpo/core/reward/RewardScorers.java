package dev.tpo.core.reward;

import dev.tpo.core.error.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds a {@link RewardScorer} for a textual spec among the {@link RewardScorerProvider}s on the
 * class path. Fails loudly: no provider names the accepted syntaxes and the artifacts to add;
 * several providers for one spec are listed.
 *
 * <p>Stateless; thread-safe.
 */
public final class RewardScorers {
  private RewardScorers() {}

  /**
   * Creates the scorer the spec names, using the providers visible to this class's class loader.
   *
   * @param spec for example {@code vllm+http://localhost:8001}, {@code tei+http://localhost:8080},
   *     {@code judge} or {@code djl:/models/rm}
   * @param context what the scorer may need
   * @return the scorer
   * @throws ConfigurationException when no provider, or more than one, accepts the spec
   */
  public static RewardScorer fromSpec(String spec, RewardScorerContext context) {
    return fromSpec(spec, context, providers());
  }

  /**
   * Creates the scorer the spec names, choosing among the given providers.
   *
   * @param spec the spec
   * @param context what the scorer may need
   * @param providers the providers to choose from
   * @return the scorer
   * @throws ConfigurationException when no provider, or more than one, accepts the spec
   */
  public static RewardScorer fromSpec(
      String spec, RewardScorerContext context, List<RewardScorerProvider> providers) {
    Objects.requireNonNull(context, "context");
    if (spec == null || spec.isBlank()) {
      throw new ConfigurationException(
          "reward spec is empty: give one of " + syntaxes(providers));
    }
    String s = spec.trim();
    List<RewardScorerProvider> matching = new ArrayList<>();
    for (RewardScorerProvider p : providers) {
      if (p.supports(s)) {
        matching.add(p);
      }
    }
    if (matching.isEmpty()) {
      throw new ConfigurationException(
          "no reward scorer accepts the spec '" + s + "'. Accepted: " + syntaxes(providers)
              + ". HTTP scorers and the judge come with tpo-textgrad, local models with"
              + " tpo-reward-djl: add the artifact that serves your reward model");
    }
    if (matching.size() > 1) {
      throw new ConfigurationException(
          "the reward spec '" + s + "' is accepted by several providers ("
              + matching.stream().map(RewardScorerProvider::name).collect(Collectors.joining(", "))
              + "); write it with an explicit scheme prefix such as vllm+, tei+ or djl:");
    }
    return matching.get(0).create(s, context);
  }

  /**
   * The providers registered with {@link ServiceLoader}, in class-path order.
   *
   * @return an immutable list
   */
  public static List<RewardScorerProvider> providers() {
    List<RewardScorerProvider> list = new ArrayList<>();
    ServiceLoader.load(RewardScorerProvider.class, RewardScorers.class.getClassLoader())
        .forEach(list::add);
    return List.copyOf(list);
  }

  private static String syntaxes(List<RewardScorerProvider> providers) {
    if (providers.isEmpty()) {
      return "(no reward scorer provider on the class path)";
    }
    return providers.stream().map(RewardScorerProvider::syntax).collect(Collectors.joining(" | "));
  }
}
