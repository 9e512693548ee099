package dev.tpo.textgrad;

import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.TokenUsage;
import java.util.Objects;

/**
 * One request the engine sent to a model and the response it got, with what it was for. Kept by
 * operations and optimizers so a caller can log every prompt and sum the token usage.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param purpose what the call was for: {@code "forward"}, {@code "backward"}, {@code "update"}
 *     or {@code "reformat"}
 * @param model the model's {@link dev.tpo.core.model.LanguageModel#name()}
 * @param request the request as sent
 * @param response the response as received
 */
public record ModelCall(String purpose, String model, ChatRequest request, ChatResponse response) {

  /**
   * Validates that no field is null.
   *
   * @param purpose what the call was for: {@code "forward"}, {@code "backward"}, {@code "update"}
   *     or {@code "reformat"}
   * @param model the model's {@link dev.tpo.core.model.LanguageModel#name()}
   * @param request the request as sent
   * @param response the response as received
   */
  public ModelCall {
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(response, "response");
  }

  /**
   * The token usage the server reported for this call.
   *
   * @return the usage
   */
  public TokenUsage usage() {
    return response.usage();
  }
}
