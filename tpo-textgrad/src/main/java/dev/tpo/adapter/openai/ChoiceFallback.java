package dev.tpo.adapter.openai;

import dev.tpo.adapter.http.LibraryLog;
import dev.tpo.core.error.Futures;
import dev.tpo.core.error.HttpStatusException;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.model.ChatChoice;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.ModelInterceptor;
import dev.tpo.core.model.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets exactly {@code n} choices from a server whatever its stance on {@code n}: asks for all in one
 * request; when the server refuses {@code n} or answers with fewer choices, requests the missing ones
 * concurrently one at a time (choice {@code i} with seed {@code seed + i} when the request has a
 * seed) and remembers that for the rest of its life, so later requests go straight to single
 * requests. Usage is summed over every request made.
 *
 * <p>Thread-safe: the remembered fallback is an {@link AtomicBoolean}.
 */
final class ChoiceFallback implements ModelInterceptor {
  private static final LibraryLog LOG = LibraryLog.of(ChoiceFallback.class);

  private final String server;
  private final AtomicBoolean singleChoiceOnly = new AtomicBoolean();

  /**
   * A fallback over one server.
   *
   * @param server the server and model, for messages
   */
  ChoiceFallback(String server) {
    this.server = server;
  }

  /** @return whether the server was found to serve one choice per request */
  boolean singleChoiceOnly() {
    return singleChoiceOnly.get();
  }

  /**
   * Answers the chain's request with exactly {@code request.n()} choices.
   *
   * @param chain the chain; each request to the server goes through {@code proceed}
   * @return the response, or a failure with a core exception
   */
  @Override
  public CompletableFuture<ChatResponse> intercept(Chain chain) {
    ChatRequest request = chain.request();
    int n = request.n();
    if (n > 1 && singleChoiceOnly.get()) {
      return fillWithSingles(chain, request, List.of(), TokenUsage.ZERO, "");
    }
    return chain.proceed(request).handle((response, failure) -> {
      if (failure != null) {
        Throwable t = Futures.unwrap(failure);
        if (n > 1 && t instanceof HttpStatusException && NRefusal.refusesN(
            ((HttpStatusException) t).statusCode(), ((HttpStatusException) t).responseBody())) {
          remember("refused n=" + n + " with HTTP " + ((HttpStatusException) t).statusCode());
          return fillWithSingles(chain, request, List.of(), TokenUsage.ZERO, "");
        }
        return CompletableFuture.<ChatResponse>failedFuture(t);
      }
      int got = response.choices().size();
      if (got >= n) {
        return CompletableFuture.completedFuture(got == n ? response
            : new ChatResponse(response.choices().subList(0, n), response.usage(),
                response.model()));
      }
      if (got == 0) {
        return CompletableFuture.<ChatResponse>failedFuture(new MalformedResponseException(
            server + " answered with no choice for n=" + n, ""));
      }
      remember("answered " + got + " of n=" + n + " choices");
      return fillWithSingles(chain, request, response.choices(), response.usage(),
          response.model());
    }).thenCompose(f -> f);
  }

  private void remember(String why) {
    if (singleChoiceOnly.compareAndSet(false, true)) {
      LOG.info("{} {}; requesting one choice per request from now on", server, why);
    }
  }

  /** Requests choices {@code have.size() .. n-1} one by one, concurrently, and merges them. */
  private CompletableFuture<ChatResponse> fillWithSingles(Chain chain,
      ChatRequest request, List<ChatChoice> have, TokenUsage usage, String servedModel) {
    List<CompletableFuture<ChatResponse>> singles = new ArrayList<>();
    for (int i = have.size(); i < request.n(); i++) {
      ChatRequest.Builder one = request.toBuilder().n(1);
      if (request.seed().isPresent()) {
        one.seed(request.seed().get() + i);
      }
      singles.add(chain.proceed(one.build()));
    }
    return CompletableFuture.allOf(singles.toArray(new CompletableFuture<?>[0]))
        .thenApply(ignored -> {
          List<ChatChoice> merged = new ArrayList<>(have);
          TokenUsage total = usage;
          String served = servedModel;
          for (CompletableFuture<ChatResponse> f : singles) {
            ChatResponse r = f.join();
            if (r.choices().isEmpty()) {
              throw new MalformedResponseException(
                  server + " answered a single-choice request with no choice", "");
            }
            ChatChoice c = r.choices().get(0);
            merged.add(new ChatChoice(merged.size(), c.text(), c.finishReason()));
            total = total.plus(r.usage());
            served = served.isEmpty() ? r.model() : served;
          }
          return new ChatResponse(merged, total, served);
        })
        .exceptionally(e -> {
          throw new CompletionException(Futures.unwrap(e));
        });
  }
}
