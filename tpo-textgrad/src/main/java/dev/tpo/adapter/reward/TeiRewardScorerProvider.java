package dev.tpo.adapter.reward;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorerProvider;
import java.util.Set;

/**
 * Creates a {@link TeiRewardScorer} from {@code tei+http://HOST:PORT[?label=NAME]} ({@code https}
 * too); {@code ?model=NAME} is accepted and ignored, since a TEI server serves one model. The
 * context's API key and timeout apply.
 *
 * <p>Stateless; thread-safe. Registered in {@code META-INF/services}.
 */
public final class TeiRewardScorerProvider implements RewardScorerProvider {
  private static final String PREFIX = "tei+";

  /** Used by {@link java.util.ServiceLoader}. */
  public TeiRewardScorerProvider() {}

  @Override
  public String name() {
    return "tei";
  }

  @Override
  public boolean supports(String spec) {
    return HttpSpec.matches(spec, PREFIX);
  }

  @Override
  public RewardScorer create(String spec, RewardScorerContext context) {
    HttpSpec parsed = HttpSpec.parse(spec, PREFIX, syntax(), Set.of("model", "label"));
    String root = parsed.url();
    if (parsed.path().endsWith("/predict")) {
      root = root.substring(0, root.length() - "/predict".length());
    } else if (!parsed.path().isEmpty()) {
      throw new ConfigurationException(
          "reward spec '" + spec.trim() + "' has the path '" + parsed.path() + "'; TEI scores at"
              + " /predict of the server root: write " + syntax());
    }
    TeiRewardScorer.Builder builder = TeiRewardScorer.builder()
        .baseUrl(root)
        .label(parsed.params().get("label"))
        .apiKey(context.apiKey().orElse(null))
        .timeout(context.timeout());
    context.maxRetries().ifPresent(builder::maxRetries);
    return builder.build();
  }

  @Override
  public String syntax() {
    return "tei+http://HOST:PORT[?label=NAME]";
  }
}
