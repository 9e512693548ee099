package dev.tpo.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.tpo.Tpo;
import dev.tpo.TpoRequest;
import dev.tpo.TpoResult;
import dev.tpo.core.error.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * TPO behind langchain4j's own {@link ChatModel}: each chat is one {@link Tpo#optimize(TpoRequest)}
 * run, and the answer is the run's best response. Plug it in wherever langchain4j takes a {@code
 * ChatModel}, for example {@code AiServices.create(Assistant.class, TpoChatModel.of(tpo))}, and the
 * interface gets test-time-aligned answers with no other change.
 *
 * <p>Mapping: system messages become the run's system prompt; the last message must be a user
 * message and is the query; the user and AI messages before it are the history. Temperature, top_p
 * and max output tokens override the {@code Tpo}'s settings for that run. What TPO cannot do is
 * refused with langchain4j's {@link UnsupportedFeatureException} naming it: tools, JSON response
 * formats, stop sequences, top_k and penalties. The response's metadata is a {@link
 * TpoChatResponseMetadata}: the run id, the policy's model name, the run's token usage, the answer's
 * reward score and the whole {@link TpoResult}.
 *
 * <p>Thread-safe: one instance serves concurrent chats (each is its own run on the calling thread).
 */
public final class TpoChatModel implements ChatModel {
  private final Tpo tpo;

  private TpoChatModel(Tpo tpo) {
    this.tpo = tpo;
  }

  /**
   * TPO with the given configuration as a langchain4j chat model.
   *
   * @param tpo the configured TPO (policy, reward scorer, settings)
   * @return the chat model
   * @throws ConfigurationException when {@code tpo} is null
   */
  public static TpoChatModel of(Tpo tpo) {
    if (tpo == null) {
      throw new ConfigurationException("TpoChatModel.of(tpo): tpo is null; pass a Tpo built with"
          + " Tpo.builder().policy(...).scorer(...).build()");
    }
    return new TpoChatModel(tpo);
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    TpoResult result = tpo.optimize(toTpo(request));
    dev.tpo.core.model.TokenUsage usage = result.usage();
    TpoChatResponseMetadata metadata = TpoChatResponseMetadata.builder()
        .result(result)
        .id(result.runId())
        .modelName(result.sampling().model())
        .tokenUsage(new TokenUsage(Math.toIntExact(usage.promptTokens()),
            Math.toIntExact(usage.completionTokens())))
        .finishReason(result.best().truncated() ? FinishReason.LENGTH : FinishReason.STOP)
        .build();
    return ChatResponse.builder().aiMessage(AiMessage.from(result.answer())).metadata(metadata)
        .build();
  }

  static TpoRequest toTpo(ChatRequest request) {
    ChatRequestParameters p = request.parameters();
    refuseUnsupported(p);
    List<ChatMessage> messages = request.messages();
    if (messages.isEmpty() || !(messages.get(messages.size() - 1) instanceof UserMessage)) {
      throw new UnsupportedFeatureException("TpoChatModel needs a conversation that ends with a"
          + " user message (the query TPO optimizes an answer to); the last message is "
          + (messages.isEmpty() ? "missing" : messages.get(messages.size() - 1).type()));
    }
    List<String> system = new ArrayList<>();
    List<dev.tpo.core.model.ChatMessage> history = new ArrayList<>();
    for (int i = 0; i < messages.size() - 1; i++) {
      ChatMessage m = messages.get(i);
      if (m instanceof SystemMessage) {
        system.add(((SystemMessage) m).text());
      } else if (m instanceof UserMessage) {
        history.add(dev.tpo.core.model.ChatMessage.user(text((UserMessage) m)));
      } else if (m instanceof AiMessage && !((AiMessage) m).hasToolExecutionRequests()) {
        AiMessage ai = (AiMessage) m;
        history.add(dev.tpo.core.model.ChatMessage.assistant(ai.text() == null ? "" : ai.text()));
      } else {
        throw new UnsupportedFeatureException("TpoChatModel does not take " + m.type()
            + " messages (message " + i + "); TPO optimizes plain text answers without tools");
      }
    }
    TpoRequest.Builder b = TpoRequest.builder(text((UserMessage) messages.get(messages.size() - 1)))
        .history(history);
    if (!system.isEmpty()) {
      b.systemPrompt(String.join("\n\n", system));
    }
    if (p != null) {
      if (p.temperature() != null) {
        b.temperature(p.temperature());
      }
      if (p.topP() != null) {
        b.topP(p.topP());
      }
      if (p.maxOutputTokens() != null) {
        b.maxTokens(p.maxOutputTokens());
      }
    }
    return b.build();
  }

  private static void refuseUnsupported(ChatRequestParameters p) {
    if (p == null) {
      return;
    }
    String unsupported = null;
    if (p.toolSpecifications() != null && !p.toolSpecifications().isEmpty()) {
      unsupported = "tools (" + p.toolSpecifications().size() + " tool specifications)";
    } else if (p.responseFormat() != null && p.responseFormat().type() == ResponseFormatType.JSON) {
      unsupported = "a JSON response format";
    } else if (p.stopSequences() != null && !p.stopSequences().isEmpty()) {
      unsupported = "stop sequences";
    } else if (p.topK() != null) {
      unsupported = "top_k";
    } else if (p.frequencyPenalty() != null || p.presencePenalty() != null) {
      unsupported = "frequency or presence penalties";
    }
    if (unsupported != null) {
      throw new UnsupportedFeatureException("TpoChatModel does not support " + unsupported
          + "; configure sampling on the Tpo (Tpo.builder()) and its policy model instead");
    }
  }

  private static String text(UserMessage m) {
    if (!m.hasSingleText()) {
      throw new UnsupportedFeatureException("TpoChatModel takes text-only user messages; this one"
          + " has " + m.contents().size() + " contents (images or audio)");
    }
    return m.singleText();
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    return Set.of();
  }

  @Override
  public ModelProvider provider() {
    return ModelProvider.OTHER;
  }

  /** @return the TPO configuration behind this model */
  public Tpo tpo() {
    return tpo;
  }

  @Override
  public String toString() {
    return "TpoChatModel{" + tpo + "}";
  }
}
