package dev.tpo.core.model;

import dev.tpo.core.error.Futures;
import dev.tpo.core.error.TpoException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * SPI: a chat model that answers one {@link ChatRequest} with {@code n} choices, finish reasons and
 * token usage. The TPO loop, the TextGrad operations and the LLM judge talk to models only through
 * this interface; the OpenAI-compatible adapter in {@code tpo-textgrad} implements it for vLLM,
 * SGLang, llama.cpp, Ollama and OpenAI.
 *
 * <p>Implement {@link #chatAsync(ChatRequest)}; {@link #chat(ChatRequest)} is a blocking default
 * over it. Implementations must return a response with exactly {@code request.n()} choices or fail
 * with a {@link TpoException}; they must be thread-safe, since one instance serves many concurrent
 * TPO runs.
 */
@FunctionalInterface
public interface LanguageModel {

  /**
   * Sends the request without blocking.
   *
   * @param request the request
   * @return a future completed with the response, or exceptionally with a {@link TpoException}
   */
  CompletableFuture<ChatResponse> chatAsync(ChatRequest request);

  /**
   * Sends the request without blocking and tells the listener about each choice as soon as it has
   * finished (see {@link ChoiceListener} for the contract). A model that streams its answers
   * overrides this to call the listener while slower choices are still being generated; this
   * default, which every model has, calls {@link #chatAsync(ChatRequest)} and then the listener
   * for each choice of the response, before the returned future completes.
   *
   * @param request the request
   * @param listener hears each finished choice, at most once per index
   * @return a future completed with the response, or exceptionally with a {@link TpoException}
   */
  default CompletableFuture<ChatResponse> chatAsync(ChatRequest request,
      ChoiceListener listener) {
    ChoiceListener.OncePerChoice once = ChoiceListener.oncePerChoice(listener);
    return chatAsync(request).thenApply(once::reportRest);
  }

  /**
   * Sends the request and waits for the response.
   *
   * @param request the request
   * @return the response
   * @throws TpoException when the model fails
   */
  default ChatResponse chat(ChatRequest request) {
    return Futures.join(chatAsync(request),
        e -> new CompletionException("interrupted while waiting for " + name(), e));
  }

  /**
   * A short name for messages and traces (for example the server's model name). Never contains a
   * credential.
   *
   * @return the name
   */
  default String name() {
    return getClass().getSimpleName();
  }

  /**
   * What served one response of this model, for traces: {@link #name()} unless the model spreads
   * requests over several servers, in which case it names the endpoint too (the balanced model in
   * {@code tpo-textgrad} answers {@code <model>@<endpoint>}). Never contains a credential.
   *
   * @param response a response this model returned
   * @return the name to record with the call
   */
  default String servedBy(ChatResponse response) {
    return name();
  }

  /**
   * This model with interceptors around it; see {@link ModelInterceptor#wrap}.
   *
   * @param interceptors the interceptors, the first sees each request first
   * @return the intercepted model, named like this one
   */
  default LanguageModel withInterceptors(ModelInterceptor... interceptors) {
    return ModelInterceptor.wrap(this, java.util.List.of(interceptors));
  }
}
