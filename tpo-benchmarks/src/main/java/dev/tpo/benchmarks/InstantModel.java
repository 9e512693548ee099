package dev.tpo.benchmarks;

import dev.tpo.core.model.ChatChoice;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.FinishReason;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.model.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A policy that answers at once, in process: distinct answers of about 60 words per choice,
 * wrapped in the update tags when a message asks for them, like the simulator. It isolates the
 * CPU the TPO loop itself spends on a run.
 *
 * <p>Stateless; thread-safe.
 */
final class InstantModel implements LanguageModel {
  private static final String FILLER = " the answer explains the idea step by step with an example"
      + " and a short summary so that a curious reader can follow every point without trouble"
      + " and check each claim against the data given in the question itself.";

  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    boolean update = false;
    int chars = 0;
    for (ChatMessage m : request.messages()) {
      update |= m.content().contains("<NEW_VALUE>");
      chars += m.content().length();
    }
    long seed = request.seed().orElse(0L) * 31 + chars;
    List<ChatChoice> choices = new ArrayList<>(request.n());
    long completion = 0;
    for (int i = 0; i < request.n(); i++) {
      String text = "Answer " + Long.toHexString(seed * 1_000_003L + i) + FILLER;
      if (update) {
        text = "<NEW_VALUE>" + text + "</NEW_VALUE>";
      }
      completion += text.length() / 4;
      choices.add(new ChatChoice(i, text, FinishReason.STOP));
    }
    return CompletableFuture.completedFuture(
        new ChatResponse(choices, TokenUsage.ofRequest(chars / 4, completion), "instant"));
  }

  @Override
  public String name() {
    return "instant";
  }
}
