package dev.tpo.core.model;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** A {@link ModelInterceptor.Chain} at one position of the list. Immutable; thread-safe. */
final class InterceptorChain implements ModelInterceptor.Chain {
  private final LanguageModel model;
  private final List<ModelInterceptor> interceptors;
  private final int index;
  private final ChatRequest request;

  InterceptorChain(LanguageModel model, List<ModelInterceptor> interceptors, int index,
      ChatRequest request) {
    this.model = model;
    this.interceptors = interceptors;
    this.index = index;
    this.request = request;
  }

  @Override
  public ChatRequest request() {
    return request;
  }

  @Override
  public LanguageModel model() {
    return model;
  }

  @Override
  public CompletableFuture<ChatResponse> proceed(ChatRequest next) {
    Objects.requireNonNull(next, "request");
    try {
      if (index == interceptors.size()) {
        return model.chatAsync(next);
      }
      return interceptors.get(index)
          .intercept(new InterceptorChain(model, interceptors, index + 1, next));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
