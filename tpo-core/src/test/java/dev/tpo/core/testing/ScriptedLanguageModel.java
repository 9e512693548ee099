package dev.tpo.core.testing;

import dev.tpo.core.model.ChatChoice;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.FinishReason;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.model.TokenUsage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A fake {@link LanguageModel} for tests: answers requests from a script, in order, and records
 * every request. No network.
 *
 * <pre>{@code
 * ScriptedLanguageModel model = new ScriptedLanguageModel()
 *     .thenAnswer("first sample", "second sample")   // one request with n=2
 *     .thenAnswer("the critique");                   // the next request, n=1
 * }</pre>
 *
 * <p>A step with texts must match the request's {@code n} exactly, or the request fails with an
 * {@link AssertionError} that shows the request: tests stay explicit about what they expect. Usage
 * is reported as one token per four characters. When the script runs out, the {@link
 * #otherwise(Function)} responder answers, if one was set; else the request fails.
 *
 * <p>Thread-safe: the script is consumed atomically, so concurrent callers each get one step.
 */
public final class ScriptedLanguageModel implements LanguageModel {
  private final Deque<Function<ChatRequest, ChatResponse>> script = new ArrayDeque<>();
  private final List<ChatRequest> requests = new ArrayList<>();
  private Function<ChatRequest, ChatResponse> otherwise;
  private String name = "scripted";

  /**
   * Scripts one response whose choices are the given texts, each finished with {@code stop}.
   *
   * @param choices the texts, one per choice
   * @return this model
   */
  public synchronized ScriptedLanguageModel thenAnswer(String... choices) {
    List<String> texts = List.copyOf(Arrays.asList(choices));
    script.add(request -> respond(request, texts, FinishReason.STOP));
    return this;
  }

  /**
   * Scripts one response whose choices were cut off at the token limit.
   *
   * @param choices the texts
   * @return this model
   */
  public synchronized ScriptedLanguageModel thenAnswerTruncated(String... choices) {
    List<String> texts = List.copyOf(Arrays.asList(choices));
    script.add(request -> respond(request, texts, FinishReason.LENGTH));
    return this;
  }

  /**
   * Scripts one failure.
   *
   * @param error what the request fails with
   * @return this model
   */
  public synchronized ScriptedLanguageModel thenFail(RuntimeException error) {
    script.add(request -> {
      throw error;
    });
    return this;
  }

  /**
   * Scripts one step computed from the request.
   *
   * @param responder builds the response
   * @return this model
   */
  public synchronized ScriptedLanguageModel thenRespond(Function<ChatRequest, ChatResponse> responder) {
    script.add(responder);
    return this;
  }

  /**
   * Answers every request after the script ran out.
   *
   * @param responder builds the response
   * @return this model
   */
  public synchronized ScriptedLanguageModel otherwise(Function<ChatRequest, ChatResponse> responder) {
    this.otherwise = responder;
    return this;
  }

  /**
   * Sets the name reported by {@link #name()}.
   *
   * @param name the name
   * @return this model
   */
  public synchronized ScriptedLanguageModel named(String name) {
    this.name = name;
    return this;
  }

  /**
   * Builds a response with the given texts, checking the count against {@code request.n()}.
   *
   * @param request the request
   * @param texts the choices
   * @param reason the finish reason of every choice
   * @return the response
   */
  public static ChatResponse respond(ChatRequest request, List<String> texts, FinishReason reason) {
    if (texts.size() != request.n()) {
      throw new AssertionError(
          "scripted step has " + texts.size() + " choices but the request asked for n="
              + request.n() + ": " + describe(request));
    }
    List<ChatChoice> choices = new ArrayList<>();
    long completion = 0;
    for (int i = 0; i < texts.size(); i++) {
      choices.add(new ChatChoice(i, texts.get(i), reason));
      completion += (texts.get(i).length() + 3) / 4;
    }
    long prompt = 0;
    for (ChatMessage m : request.messages()) {
      prompt += (m.content().length() + 3) / 4;
    }
    return new ChatResponse(choices, TokenUsage.ofRequest(prompt, completion), "scripted");
  }

  private static String describe(ChatRequest request) {
    StringBuilder sb = new StringBuilder(request.toString());
    for (ChatMessage m : request.messages()) {
      String c = m.content();
      sb.append("\n  ").append(m.role()).append(": ")
          .append(c.length() > 200 ? c.substring(0, 200) + "..." : c);
    }
    return sb.toString();
  }

  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    Function<ChatRequest, ChatResponse> step;
    synchronized (this) {
      requests.add(request);
      step = script.poll();
      if (step == null) {
        step = otherwise;
      }
    }
    if (step == null) {
      return CompletableFuture.failedFuture(new AssertionError(
          "the script of ScriptedLanguageModel ran out at request #" + requests.size() + ": "
              + describe(request)));
    }
    try {
      return CompletableFuture.completedFuture(step.apply(request));
    } catch (RuntimeException | AssertionError e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Every request received so far, in arrival order.
   *
   * @return an immutable snapshot
   */
  public synchronized List<ChatRequest> requests() {
    return List.copyOf(requests);
  }

  /**
   * The request with the given index.
   *
   * @param index from 0
   * @return the request
   */
  public synchronized ChatRequest request(int index) {
    return requests.get(index);
  }

  /**
   * How many scripted steps have not been used.
   *
   * @return the count
   */
  public synchronized int remainingSteps() {
    return script.size();
  }

  @Override
  public synchronized String name() {
    return name;
  }
}
