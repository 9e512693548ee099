package dev.tpo.adapter.reward;

import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorerProvider;
import java.util.Set;

/**
 * Creates a {@link VllmRewardScorer} from {@code vllm+http://HOST:PORT[/pooling|/classify]
 * [?model=NAME]} ({@code https} too): no path or {@code /pooling} scores through {@code /pooling}
 * with chat messages, {@code /classify} through {@code /classify}; a path before the endpoint
 * (SGLang's {@code /v1/classify}) is kept. The context's API key and timeout apply.
 *
 * <p>Stateless; thread-safe. Registered in {@code META-INF/services}.
 */
public final class VllmRewardScorerProvider implements RewardScorerProvider {
  private static final String PREFIX = "vllm+";

  /** Used by {@link java.util.ServiceLoader}. */
  public VllmRewardScorerProvider() {}

  @Override
  public String name() {
    return "vllm";
  }

  @Override
  public boolean supports(String spec) {
    return HttpSpec.matches(spec, PREFIX);
  }

  @Override
  public RewardScorer create(String spec, RewardScorerContext context) {
    HttpSpec parsed = HttpSpec.parse(spec, PREFIX, syntax(), Set.of("model"));
    VllmRewardScorer.Endpoint endpoint = VllmRewardScorer.Endpoint.POOLING;
    String root = parsed.url();
    if (parsed.path().endsWith("/classify")) {
      endpoint = VllmRewardScorer.Endpoint.CLASSIFY;
      root = root.substring(0, root.length() - "/classify".length());
    } else if (parsed.path().endsWith("/pooling")) {
      root = root.substring(0, root.length() - "/pooling".length());
    }
    VllmRewardScorer.Builder builder = VllmRewardScorer.builder()
        .baseUrl(root)
        .endpoint(endpoint)
        .model(parsed.params().get("model"))
        .apiKey(context.apiKey().orElse(null))
        .timeout(context.timeout());
    context.maxRetries().ifPresent(builder::maxRetries);
    return builder.build();
  }

  @Override
  public String syntax() {
    return "vllm+http://HOST:PORT[/pooling|/classify][?model=NAME]";
  }
}
