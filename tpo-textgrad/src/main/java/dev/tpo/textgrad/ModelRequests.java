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
 * Sends the engine's requests through the {@link LanguageModel} SPI. Nothing is recorded here:
 * recording is an interceptor on the model ({@link dev.tpo.core.model.CallRecorder}).
 *
 * <p>Stateless; thread-safe.
 */
public final class ModelRequests {
  private ModelRequests() {}

  /**
   * Sends several independent requests at once (through {@link LanguageModel#chatAsync}) and waits
   * for all.
   *
   * @param model the model
   * @param requests the requests
   * @return the responses, in the order of the requests
   * @throws dev.tpo.core.error.TpoException the first failure in request order, after all
   *     requests have finished
   */
  public static List<ChatResponse> sendAll(LanguageModel model, List<ChatRequest> requests) {
    Objects.requireNonNull(model, "model");
    if (requests.size() == 1) {
      return List.of(model.chat(requests.get(0)));
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
    for (CompletableFuture<ChatResponse> future : futures) {
      try {
        responses.add(join(future));
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
}
