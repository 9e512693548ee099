package dev.tpo.textgrad;

import dev.tpo.core.error.Futures;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.LanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Sends requests through the {@link LanguageModel} SPI and records each as a {@link ModelCall}.
 * Used by operations and optimizers to implement {@link Metered}.
 *
 * <p>Thread-safe.
 */
public final class CallLog implements Metered {
  private final List<ModelCall> calls = new ArrayList<>();

  /** Creates an empty log. */
  public CallLog() {}

  /**
   * Sends a request and records it.
   *
   * @param purpose what the call is for
   * @param model the model
   * @param request the request
   * @return the response
   * @throws dev.tpo.core.error.TpoException when the model fails (nothing is recorded then)
   */
  public ChatResponse send(String purpose, LanguageModel model, ChatRequest request) {
    Objects.requireNonNull(model, "model");
    ChatResponse response = model.chat(request);
    synchronized (calls) {
      calls.add(new ModelCall(purpose, model.name(), request, response));
    }
    return response;
  }

  /**
   * Sends several independent requests at once (through {@link LanguageModel#chatAsync}), waits
   * for all, and records them in the order given, whatever order they complete in.
   *
   * @param purpose what the calls are for
   * @param model the model
   * @param requests the requests
   * @return the responses, in the order of the requests
   * @throws dev.tpo.core.error.TpoException the first failure in request order, after all
   *     requests have finished (the successful ones are recorded)
   */
  public List<ChatResponse> sendAll(String purpose, LanguageModel model,
      List<ChatRequest> requests) {
    Objects.requireNonNull(model, "model");
    if (requests.size() == 1) {
      return List.of(send(purpose, model, requests.get(0)));
    }
    List<CompletableFuture<ChatResponse>> futures = new ArrayList<>();
    for (ChatRequest r : requests) {
      CompletableFuture<ChatResponse> f;
      try {
        f = model.chatAsync(r);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      futures.add(f);
    }
    List<ChatResponse> responses = new ArrayList<>();
    RuntimeException failure = null;
    for (int i = 0; i < futures.size(); i++) {
      try {
        ChatResponse response = join(futures.get(i));
        synchronized (calls) {
          calls.add(new ModelCall(purpose, model.name(), requests.get(i), response));
        }
        responses.add(response);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    return List.copyOf(responses);
  }

  private static ChatResponse join(CompletableFuture<ChatResponse> future) {
    return Futures.join(future);
  }


  @Override
  public List<ModelCall> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }
}
