package dev.tpo.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;

/**
 * Passes the seed to langchain4j's OpenAI module. Loaded only when {@code langchain4j-open-ai} is on
 * the class path (see {@link #PRESENT}). Stateless; thread-safe.
 */
final class OpenAiSeed {
  static final boolean PRESENT = present();

  private OpenAiSeed() {}

  private static boolean present() {
    try {
      Class.forName("dev.langchain4j.model.openai.OpenAiChatRequestParameters", false,
          OpenAiSeed.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Whether the model takes OpenAI parameters (and with them a seed). */
  static boolean appliesTo(ChatModel model) {
    return PRESENT && model.defaultRequestParameters() instanceof OpenAiChatRequestParameters;
  }

  static ChatRequestParameters withSeed(ChatRequestParameters parameters, int seed) {
    return OpenAiChatRequestParameters.builder().overrideWith(parameters).seed(seed).build();
  }
}
