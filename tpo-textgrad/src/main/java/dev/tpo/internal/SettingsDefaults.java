package dev.tpo.internal;

import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.ModelInterceptor;
import java.util.concurrent.CompletableFuture;

/**
 * The one place where a TPO run's sampling settings reach its requests: sets temperature, top_p,
 * seed and max tokens on every request that left them unset (the loop and the engine build their
 * requests without them), so loss and gradient requests are seeded like sampling and update
 * requests.
 *
 * <p>Immutable; thread-safe.
 *
 * @param temperature the run's temperature
 * @param topP the run's top_p
 * @param seed the run's seed
 * @param maxTokens the run's most tokens per response
 */
public record SettingsDefaults(double temperature, double topP, long seed, int maxTokens)
    implements ModelInterceptor {

  @Override
  public CompletableFuture<ChatResponse> intercept(Chain chain) {
    ChatRequest request = chain.request();
    ChatRequest.Builder b = request.toBuilder();
    if (request.temperature().isEmpty()) {
      b.temperature(temperature);
    }
    if (request.topP().isEmpty()) {
      b.topP(topP);
    }
    if (request.seed().isEmpty()) {
      b.seed(seed);
    }
    if (request.maxTokens().isEmpty()) {
      b.maxTokens(maxTokens);
    }
    return chain.proceed(b.build());
  }
}
