package dev.tpo.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Observes, changes or answers the requests sent to a {@link LanguageModel}, as OkHttp's {@code
 * Interceptor}: it gets a {@link Chain}, may change the request, and calls {@link
 * Chain#proceed(ChatRequest)} (zero, one or several times) to pass it on towards the model.
 * Recording, context fitting, the {@code n} fallback and the concurrency limit of this project are
 * interceptors. Attach them with {@link #wrap(LanguageModel, List)} or {@link
 * LanguageModel#withInterceptors(ModelInterceptor...)}; the first interceptor of the list sees the
 * request first.
 *
 * <p>Implementations must be thread-safe: one chain serves concurrent requests.
 */
@FunctionalInterface
public interface ModelInterceptor {

  /**
   * Handles one request.
   *
   * @param chain the request and the rest of the chain
   * @return the response, or a future failed with a {@link dev.tpo.core.error.TpoException}
   */
  CompletableFuture<ChatResponse> intercept(Chain chain);

  /**
   * One request on its way through the interceptors. Thread-safe; one instance per request and
   * position in the chain.
   */
  interface Chain {
    /** @return the request as the previous interceptor passed it on */
    ChatRequest request();

    /** @return the model at the end of the chain (its {@link LanguageModel#name()} for messages) */
    LanguageModel model();

    /**
     * Passes a request to the next interceptor, or to the model after the last one.
     *
     * @param request the request
     * @return the response
     */
    CompletableFuture<ChatResponse> proceed(ChatRequest request);
  }

  /**
   * A model whose requests go through the interceptors, in order, then to {@code model}. A
   * request an interceptor throws on synchronously fails the returned future. A {@link
   * ChoiceListener} given to the wrapped model's {@link LanguageModel#chatAsync(ChatRequest,
   * ChoiceListener)} travels down the chain to {@code model} (so a streaming model reports choices
   * early through interceptors), unless an interceptor changes the request's {@code n}; choices it
   * has not heard of by the end are reported when the response completes.
   *
   * @param model the model
   * @param interceptors the interceptors, first sees the request first
   * @return the intercepted model, named like {@code model} (and {@link
   *     LanguageModel#servedBy} like it)
   */
  static LanguageModel wrap(LanguageModel model, List<? extends ModelInterceptor> interceptors) {
    Objects.requireNonNull(model, "model");
    List<ModelInterceptor> list = List.copyOf(new ArrayList<>(interceptors));
    if (list.isEmpty()) {
      return model;
    }
    return new LanguageModel() {
      @Override
      public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        return new InterceptorChain(model, list, 0, request).proceed(request);
      }

      @Override
      public CompletableFuture<ChatResponse> chatAsync(ChatRequest request,
          ChoiceListener listener) {
        ChoiceListener.OncePerChoice once = ChoiceListener.oncePerChoice(listener);
        return new InterceptorChain(model, list, 0, request, once, request.n()).proceed(request)
            .thenApply(once::reportRest);
      }

      @Override
      public String name() {
        return model.name();
      }

      @Override
      public String servedBy(ChatResponse response) {
        return model.servedBy(response);
      }

      @Override
      public String toString() {
        return model.name() + " with " + list.size() + " interceptor(s)";
      }
    };
  }
}
