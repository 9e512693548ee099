package dev.tpo.langchain4j;

import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.tpo.core.model.ChatRequest;

/**
 * Adjusts the langchain4j request parameters of one choice before it is sent: the place to pass
 * settings that only a provider's own parameter type carries (a seed for Ollama, Mistral or Gemini),
 * or to drop one a provider refuses (some reject {@code top_p} together with a temperature).
 *
 * <p>Implementations must be thread-safe and free of side effects.
 */
@FunctionalInterface
public interface ChatParametersCustomizer {

  /** Leaves the parameters as they are. */
  ChatParametersCustomizer NONE = (parameters, request, choice, seed) -> parameters;

  /**
   * Returns the parameters to send for one choice.
   *
   * @param parameters the mapped common parameters (temperature, top_p, max output tokens, stop
   *     sequences), plus the seed where the adapter knows the provider's type for it
   * @param request the TPO request the choice belongs to
   * @param choice the choice's index, 0 to {@code request.n() - 1}
   * @param seed the seed for this choice ({@code request.seed() + choice}), or null when unset
   * @return the parameters to send, never null
   */
  ChatRequestParameters customize(
      ChatRequestParameters parameters, ChatRequest request, int choice, Integer seed);
}
