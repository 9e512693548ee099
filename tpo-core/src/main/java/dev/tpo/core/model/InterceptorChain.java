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
  /** The caller's listener, or null; forwarded to the model only with the caller's own n. */
  private final ChoiceListener listener;
  private final int n;

  InterceptorChain(LanguageModel model, List<ModelInterceptor> interceptors, int index,
      ChatRequest request) {
    this(model, interceptors, index, request, null, request.n());
  }

  InterceptorChain(LanguageModel model, List<ModelInterceptor> interceptors, int index,
      ChatRequest request, ChoiceListener listener, int n) {
    this.model = model;
    this.interceptors = interceptors;
    this.index = index;
    this.request = request;
    this.listener = listener;
    this.n = n;
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
        // An interceptor that changed n (split the request) gets no listener: the choice indices
        // of its requests are not the caller's; the caller's chain reports them at the end.
        return listener != null && next.n() == n
            ? model.chatAsync(next, listener) : model.chatAsync(next);
      }
      return interceptors.get(index).intercept(
          new InterceptorChain(model, interceptors, index + 1, next, listener, n));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
