package dev.tpo.internal;

import dev.tpo.core.model.CallTag;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.ModelInterceptor;
import dev.tpo.core.text.TokenCounter;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Fits every request into the context window: lowers {@code max_tokens} when prompt plus response
 * would not fit {@code maxContextTokens}, and fails the request with a {@link
 * ContextFullException} (naming the phase from the request's {@link CallTag}) when the prompt alone
 * fills it.
 *
 * <p>Immutable; thread-safe.
 *
 * @param maxContextTokens the most tokens of prompt plus response in one request
 * @param counter counts the prompt's tokens
 */
public record ContextFit(int maxContextTokens, TokenCounter counter) implements ModelInterceptor {
  /** Tokens counted per message for role markers and separators. */
  static final int TOKENS_PER_MESSAGE = 4;

  @Override
  public CompletableFuture<ChatResponse> intercept(Chain chain) {
    return chain.proceed(fit(chain.request()));
  }

  /**
   * The request with {@code max_tokens} lowered to the room its prompt leaves.
   *
   * @param request the request, its {@code max_tokens} set
   * @return the request to send
   * @throws ContextFullException when the prompt alone fills the context
   */
  public ChatRequest fit(ChatRequest request) {
    long promptTokens = 0;
    for (ChatMessage m : request.messages()) {
      promptTokens += counter.count(m.content()) + TOKENS_PER_MESSAGE;
    }
    long room = maxContextTokens - promptTokens;
    if (room < 1) {
      String phase = request.tag(CallTag.class)
          .map(t -> t.phase().name().toLowerCase(Locale.ROOT) + " ").orElse("");
      throw new ContextFullException(
          "the " + phase + "prompt takes about " + promptTokens
              + " tokens, which fills maxContextTokens=" + maxContextTokens
              + " (--max-tokens-all of the tpo command); raise it, lower"
              + " responseTruncationTokens or shorten the query");
    }
    int wanted = request.maxTokens().orElse(Integer.MAX_VALUE);
    if (wanted <= room) {
      return request;
    }
    return request.toBuilder().maxTokens((int) room).build();
  }
}
