package dev.tpo.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.model.ChatChoice;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.FinishReason;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.model.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Any langchain4j {@link ChatModel} as a TPO {@link LanguageModel}, for example the policy of a
 * {@code Tpo}: the OpenAI, Azure, Anthropic, Gemini, Ollama, Mistral or Bedrock model an application
 * already configured.
 *
 * <p>Mapping: langchain4j has no {@code n}, so a request for {@code n} choices becomes {@code n}
 * concurrent calls (at most {@link Builder#maxConcurrentRequests} at once across all requests);
 * temperature, top_p, max tokens and stop sequences go into the call's {@link
 * ChatRequestParameters}, where the provider's defaults fill in the rest; the seed goes to
 * langchain4j's OpenAI module (choice {@code i} gets {@code seed + i}, so the choices differ) and,
 * for other providers, through a {@link ChatParametersCustomizer}. Token usage is summed over the
 * calls ({@code requests} counts them); langchain4j's finish reasons map to TPO's ({@code
 * TOOL_EXECUTION} to {@link FinishReason#TOOL_CALLS}, {@code OTHER} or none to {@link
 * FinishReason#UNKNOWN}). langchain4j's exceptions become TPO's, retryable where langchain4j's are.
 *
 * <p>Thread-safe: create one per {@code ChatModel} and share it. It owns a small pool of daemon
 * threads for the blocking calls; {@link #close()} stops it (the {@code ChatModel} is not closed).
 */
public final class LangChain4jLanguageModel implements LanguageModel, AutoCloseable {
  private final ChatModel model;
  private final String name;
  private final ChatParametersCustomizer customizer;
  private final boolean openAiSeed;
  private final ExecutorService executor;
  private final int maxConcurrentRequests;

  private LangChain4jLanguageModel(Builder b) {
    this.model = b.model;
    this.name = b.name != null ? b.name : defaultName(b.model);
    this.customizer = b.customizer;
    this.openAiSeed = OpenAiSeed.appliesTo(b.model);
    this.maxConcurrentRequests = b.maxConcurrentRequests;
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(maxConcurrentRequests,
        maxConcurrentRequests, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "tpo-langchain4j-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    this.executor = pool;
  }

  /**
   * Wraps a model with every default.
   *
   * @param model the langchain4j model
   * @return the TPO model
   */
  public static LangChain4jLanguageModel of(ChatModel model) {
    return builder(model).build();
  }

  /**
   * A builder for a model.
   *
   * @param model the langchain4j model
   * @return the builder
   */
  public static Builder builder(ChatModel model) {
    return new Builder(model);
  }

  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    List<dev.langchain4j.data.message.ChatMessage> messages = toLangChain4j(request.messages());
    List<CompletableFuture<dev.langchain4j.model.chat.response.ChatResponse>> calls =
        new ArrayList<>(request.n());
    for (int i = 0; i < request.n(); i++) {
      dev.langchain4j.model.chat.request.ChatRequest call =
          dev.langchain4j.model.chat.request.ChatRequest.builder()
              .messages(messages)
              .parameters(parameters(request, i))
              .build();
      calls.add(CompletableFuture.supplyAsync(() -> model.chat(call), executor));
    }
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .handle((ignored, failure) -> {
          if (failure != null) {
            calls.forEach(c -> c.cancel(false));
            throw LangChain4jFailures.translate(name, failure);
          }
          return toTpo(calls.stream().map(CompletableFuture::join).toList());
        });
  }

  private ChatRequestParameters parameters(ChatRequest request, int choice) {
    ChatRequestParameters common = ChatRequestParameters.builder()
        .temperature(request.temperature().orElse(null))
        .topP(request.topP().orElse(null))
        .maxOutputTokens(request.maxTokens().orElse(null))
        .stopSequences(request.stop().isEmpty() ? null : request.stop())
        .build();
    Integer seed = request.seed().map(s -> (int) (s + choice)).orElse(null);
    ChatRequestParameters mapped = seed != null && openAiSeed
        ? OpenAiSeed.withSeed(common, seed) : common;
    return Objects.requireNonNull(customizer.customize(mapped, request, choice, seed),
        "ChatParametersCustomizer returned null");
  }

  private ChatResponse toTpo(List<dev.langchain4j.model.chat.response.ChatResponse> responses) {
    List<ChatChoice> choices = new ArrayList<>(responses.size());
    TokenUsage usage = TokenUsage.ZERO;
    String served = "";
    for (int i = 0; i < responses.size(); i++) {
      dev.langchain4j.model.chat.response.ChatResponse r = responses.get(i);
      AiMessage message = r.aiMessage();
      String text = message == null || message.text() == null ? "" : message.text();
      choices.add(new ChatChoice(i, text, finishReason(r.finishReason())));
      dev.langchain4j.model.output.TokenUsage u = r.tokenUsage();
      usage = usage.plus(new TokenUsage(u == null ? 0 : orZero(u.inputTokenCount()),
          u == null ? 0 : orZero(u.outputTokenCount()), 1));
      if (served.isEmpty() && r.modelName() != null) {
        served = r.modelName();
      }
    }
    return new ChatResponse(choices, usage, served);
  }

  static FinishReason finishReason(dev.langchain4j.model.output.FinishReason reason) {
    if (reason == null) {
      return FinishReason.UNKNOWN;
    }
    switch (reason) {
      case STOP:
        return FinishReason.STOP;
      case LENGTH:
        return FinishReason.LENGTH;
      case TOOL_EXECUTION:
        return FinishReason.TOOL_CALLS;
      case CONTENT_FILTER:
        return FinishReason.CONTENT_FILTER;
      default:
        return FinishReason.UNKNOWN;
    }
  }

  private static long orZero(Integer count) {
    return count == null ? 0 : Math.max(0, count);
  }

  static List<dev.langchain4j.data.message.ChatMessage> toLangChain4j(List<ChatMessage> messages) {
    List<dev.langchain4j.data.message.ChatMessage> out = new ArrayList<>(messages.size());
    for (ChatMessage m : messages) {
      switch (m.role()) {
        case SYSTEM:
          out.add(SystemMessage.from(m.content()));
          break;
        case USER:
          out.add(UserMessage.from(m.content()));
          break;
        default:
          out.add(AiMessage.from(m.content()));
      }
    }
    return out;
  }

  private static String defaultName(ChatModel model) {
    ChatRequestParameters defaults = model.defaultRequestParameters();
    String modelName = defaults == null ? null : defaults.modelName();
    return modelName != null && !modelName.isBlank() ? modelName : model.getClass().getSimpleName();
  }

  /** @return the most calls this adapter runs at once */
  public int maxConcurrentRequests() {
    return maxConcurrentRequests;
  }

  /** @return the wrapped langchain4j model */
  public ChatModel chatModel() {
    return model;
  }

  @Override
  public String name() {
    return name;
  }

  /** Stops the adapter's threads; calls in flight finish. The {@code ChatModel} stays open. */
  @Override
  public void close() {
    executor.shutdown();
  }

  @Override
  public String toString() {
    return "LangChain4jLanguageModel{name=" + name + ", model=" + model.getClass().getName()
        + ", maxConcurrentRequests=" + maxConcurrentRequests + "}";
  }

  /** Builds a {@link LangChain4jLanguageModel}; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private final ChatModel model;
    private String name;
    private int maxConcurrentRequests = 8;
    private ChatParametersCustomizer customizer = ChatParametersCustomizer.NONE;

    private Builder(ChatModel model) {
      this.model = model;
    }

    /**
     * The name used in TPO's results, events and messages. Defaults to the model name of the
     * {@code ChatModel}'s default parameters, else its class name. Never put a credential here.
     *
     * @param name the name
     * @return this builder
     */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * The most calls in flight at once, over all requests. Defaults to 8.
     *
     * @param maxConcurrentRequests 1 to 1024
     * @return this builder
     */
    public Builder maxConcurrentRequests(int maxConcurrentRequests) {
      this.maxConcurrentRequests = maxConcurrentRequests;
      return this;
    }

    /**
     * Adjusts each call's parameters (a provider's seed, dropping top_p). Defaults to {@link
     * ChatParametersCustomizer#NONE}.
     *
     * @param customizer the customizer
     * @return this builder
     */
    public Builder parameters(ChatParametersCustomizer customizer) {
      this.customizer = customizer;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the model
     * @throws ConfigurationException naming the field and value when one is invalid
     */
    public LangChain4jLanguageModel build() {
      if (model == null) {
        throw new ConfigurationException("LangChain4jLanguageModel.builder(model): model is null;"
            + " pass the langchain4j ChatModel to use, e.g. OpenAiChatModel.builder()...build()");
      }
      if (maxConcurrentRequests < 1 || maxConcurrentRequests > 1024) {
        throw new ConfigurationException("LangChain4jLanguageModel.maxConcurrentRequests must be"
            + " between 1 and 1024, got " + maxConcurrentRequests);
      }
      if (customizer == null) {
        throw new ConfigurationException("LangChain4jLanguageModel.parameters(...) is null; pass"
            + " ChatParametersCustomizer.NONE to leave the parameters as they are");
      }
      if (name != null && name.isBlank()) {
        throw new ConfigurationException("LangChain4jLanguageModel.name is blank; give a short"
            + " name such as the model's, or leave it unset");
      }
      return new LangChain4jLanguageModel(this);
    }
  }
}
