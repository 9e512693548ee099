package dev.tpo.adapter.openai;

import com.openai.client.OpenAIClientAsync;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.tpo.adapter.http.LibraryLog;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.Futures;
import dev.tpo.core.error.HttpStatusException;
import dev.tpo.core.model.ChatChoice;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.ChoiceListener;
import dev.tpo.core.model.FinishReason;
import dev.tpo.core.model.TokenUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends one chat-completion request with {@code stream=true} for {@link OpenAiCompatibleModel}
 * (through the SDK's {@code createStreaming}, with {@code stream_options.include_usage}), assembles
 * the per-choice deltas and tells a {@link ChoiceListener} about each choice as soon as its {@code
 * finish_reason} arrives.
 *
 * <p>Faults are handled as on the plain path ({@link ChatSender}): the SDK retries what fails
 * before the stream starts; a stream that breaks off or ends before every choice has finished is
 * sent again as often, after the same waits; what still fails is mapped onto the core exceptions
 * with the API key redacted. A server that does not stream {@code n > 1} (it refuses the streaming
 * request with an HTTP 4xx or a refusal of {@code n}, or streams only choice 0) fails the stream
 * with {@link NotStreamed}, which tells the model to send the plain request instead.
 *
 * <p>Thread-safe: holds immutable settings, thread-safe collaborators and one atomic flag.
 */
final class ChatStreamer {
  private static final LibraryLog LOG = LibraryLog.of(ChatStreamer.class);
  /** First wait before sending a stream again that broke off; doubled each time. */
  private static final Duration BODY_RETRY_WAIT = Duration.ofMillis(500);

  private final java.util.function.Supplier<OpenAIClientAsync> client;
  private final Executor readers;
  private final RetrySleeper retrySleeper;
  private final String model;
  private final Map<String, Object> extraBody;
  private final String apiKey;
  private final int maxRetries;
  private final String what;
  private final AtomicBoolean fallback = new AtomicBoolean();

  ChatStreamer(java.util.function.Supplier<OpenAIClientAsync> client, Executor readers, RetrySleeper retrySleeper,
      String model, Map<String, Object> extraBody, String apiKey, int maxRetries, String what) {
    this.client = client;
    this.readers = readers;
    this.retrySleeper = retrySleeper;
    this.model = model;
    this.extraBody = Map.copyOf(extraBody);
    this.apiKey = apiKey;
    this.maxRetries = maxRetries;
    this.what = what;
  }

  /** @return whether this server was found not to stream {@code n > 1} */
  boolean fallback() {
    return fallback.get();
  }

  /** Remembers that the server does not stream {@code n > 1}; warns the first time. */
  void remember(String why) {
    if (fallback.compareAndSet(false, true)) {
      LOG.warn("{} {}; sending plain (non-streamed) requests for n > 1 from now on, so choices"
          + " are scored when the whole answer has arrived", what, why);
    }
  }

  /**
   * Streams one request.
   *
   * @param request the request
   * @param listener hears each finished choice (at most once per index, also across attempts)
   * @return the assembled response, or a future failed with a core exception or {@link
   *     NotStreamed}
   */
  CompletableFuture<ChatResponse> stream(ChatRequest request, ChoiceListener listener) {
    return attempt(request, ChoiceListener.oncePerChoice(listener), 0);
  }

  private CompletableFuture<ChatResponse> attempt(ChatRequest request, ChoiceListener listener,
      int bodyRetries) {
    Assembly assembly = new Assembly(request.n(), listener);
    CompletableFuture<Void> done;
    try {
      ChatCompletionCreateParams params = ChatWire.params(model, request, extraBody).toBuilder()
          .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
          .build();
      AsyncStreamResponse<ChatCompletionChunk> stream =
          client.get().chat().completions().createStreaming(params);
      done = stream.subscribe(assembly::accept, readers).onCompleteFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(SdkFailures.map(e, what, apiKey, maxRetries + 1));
    }
    return done.handle((ignored, failure) -> {
      if (failure == null) {
        if (assembly.complete()) {
          return CompletableFuture.completedFuture(assembly.response());
        }
        if (assembly.onlyFirst()) {
          return CompletableFuture.<ChatResponse>failedFuture(new NotStreamed(
              "streamed only choice 0 of n=" + request.n(), assembly.usage()));
        }
        return again(request, listener, bodyRetries, new ConnectionFailedException(what
            + ": the stream ended with " + assembly.finished() + " of " + request.n()
            + " choices finished", null));
      }
      Throwable t = Futures.unwrap(failure);
      Throwable mapped = SdkFailures.map(t, what, apiKey, maxRetries + 1);
      if (mapped instanceof HttpStatusException && !assembly.started()) {
        HttpStatusException h = (HttpStatusException) mapped;
        if (refusesStreaming(h.statusCode(), h.responseBody())) {
          return CompletableFuture.<ChatResponse>failedFuture(new NotStreamed(
              "refused a streamed request with n=" + request.n() + " (HTTP " + h.statusCode()
                  + ")", TokenUsage.ZERO));
        }
      }
      if (assembly.started() && !(t instanceof OpenAIServiceException)) {
        return again(request, listener, bodyRetries, mapped); // broke off while streaming
      }
      return CompletableFuture.<ChatResponse>failedFuture(mapped);
    }).thenCompose(f -> f);
  }

  /** Sends a stream again that broke off, as the plain path sends a broken-off body again. */
  private CompletableFuture<ChatResponse> again(ChatRequest request, ChoiceListener listener,
      int bodyRetries, Throwable why) {
    if (bodyRetries < maxRetries) {
      Duration wait = BODY_RETRY_WAIT.multipliedBy(1L << Math.min(bodyRetries, 4));
      return retrySleeper.sleepAsync(wait)
          .thenCompose(ignored -> attempt(request, listener, bodyRetries + 1));
    }
    return CompletableFuture.failedFuture(new ConnectionFailedException(
        what + ": the streamed answer broke off on " + (bodyRetries + 1) + " attempt(s): "
            + why.getMessage() + ". Check the server and any proxy in between", why));
  }

  /**
   * Whether an error answer to a streamed request means "no streaming with n > 1 here": a 4xx
   * other than authentication, a missing model, a timeout, a conflict or a rate limit (those would
   * fail the plain request too), or a refusal of {@code n}.
   */
  static boolean refusesStreaming(int status, String body) {
    if (NRefusal.refusesN(status, body)) {
      return true;
    }
    return status >= 400 && status < 500 && status != 401 && status != 403 && status != 404
        && status != 408 && status != 409 && status != 429;
  }

  /**
   * The server does not stream {@code n > 1}; the plain request is the way. Carries what the
   * streamed attempt spent.
   */
  static final class NotStreamed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient TokenUsage usage;

    NotStreamed(String why, TokenUsage usage) {
      super(why, null, false, false);
      this.usage = usage;
    }

    TokenUsage usage() {
      return usage;
    }
  }

  /**
   * The choices of one streamed answer as their deltas arrive. The SDK calls {@link #accept} on
   * one reading thread at a time; the methods are synchronized so the results are visible to the
   * thread that completes the stream's future.
   */
  private static final class Assembly {
    private final int n;
    private final ChoiceListener listener;
    private final StringBuilder[] texts;
    private final FinishReason[] reasons;
    private final boolean[] seen;
    private boolean started;
    private int finished;
    private TokenUsage usage = TokenUsage.ZERO;
    private String servedModel = "";

    Assembly(int n, ChoiceListener listener) {
      this.n = n;
      this.listener = listener;
      this.texts = new StringBuilder[n];
      this.reasons = new FinishReason[n];
      this.seen = new boolean[n];
      for (int i = 0; i < n; i++) {
        texts[i] = new StringBuilder();
      }
    }

    synchronized void accept(ChatCompletionChunk chunk) {
      started = true;
      chunk._model().asKnown().ifPresent(m -> servedModel = m);
      chunk._usage().asKnown().ifPresent(this::usage);
      List<ChatCompletionChunk.Choice> choices = chunk._choices().asKnown().orElse(List.of());
      for (ChatCompletionChunk.Choice c : choices) {
        int index = c._index().asKnown().map(Long::intValue).orElse(0);
        if (index < 0 || index >= n || reasons[index] != null) {
          continue; // beyond n (a server that sends more) or after its finish: ignored
        }
        seen[index] = true;
        c._delta().asKnown().flatMap(d -> d._content().asKnown()).ifPresent(texts[index]::append);
        var reason = c._finishReason().asKnown();
        if (reason.isPresent()) {
          reasons[index] = FinishReason.fromWire(reason.get().asString());
          finished++;
          ChoiceListener.notifySafely(listener,
              new ChatChoice(index, texts[index].toString(), reasons[index]));
        }
      }
    }

    private void usage(CompletionUsage u) {
      usage = TokenUsage.ofRequest(
          Math.max(0, u._promptTokens().asKnown().orElse(0L)),
          Math.max(0, u._completionTokens().asKnown().orElse(0L)));
    }

    synchronized boolean started() {
      return started;
    }

    synchronized int finished() {
      return finished;
    }

    synchronized boolean complete() {
      return finished == n;
    }

    /** Whether a request for n > 1 was answered with choice 0 alone. */
    synchronized boolean onlyFirst() {
      if (n < 2 || reasons[0] == null) {
        return false;
      }
      for (int i = 1; i < n; i++) {
        if (seen[i]) {
          return false;
        }
      }
      return true;
    }

    synchronized TokenUsage usage() {
      return usage;
    }

    synchronized ChatResponse response() {
      List<ChatChoice> choices = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        choices.add(new ChatChoice(i, texts[i].toString(), reasons[i]));
      }
      return new ChatResponse(choices, usage, servedModel);
    }
  }
}
