package dev.tpo.textgrad;

import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.LanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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

  @Override
  public List<ModelCall> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }
}
