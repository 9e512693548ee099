package dev.tpo.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Against a real OpenAI-compatible server; skipped unless {@code TPO_IT_BASE_URL} is set (optional
 * {@code TPO_IT_MODEL}, else the server's first model, and {@code TPO_IT_API_KEY}). For example
 * {@code TPO_IT_BASE_URL=http://localhost:11434 TPO_IT_MODEL=llama3.1:8b mvn -pl tpo-textgrad -am
 * verify}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OpenAiCompatibleModelIT {

  @Test
  void samplesNDistinctChoicesFromARealServer() {
    String base = System.getenv("TPO_IT_BASE_URL");
    assumeTrue(base != null && !base.isBlank(), "TPO_IT_BASE_URL is not set");
    String key = System.getenv("TPO_IT_API_KEY");
    String model;
    try (ModelProbe probe = ModelProbe.builder().baseUrl(base).apiKey(key).build()) {
      String named = System.getenv("TPO_IT_MODEL");
      model = named == null || named.isBlank() ? probe.defaultModel() : probe.requireModel(named);
    }
    try (OpenAiCompatibleModel policy = OpenAiCompatibleModel.builder().baseUrl(base).apiKey(key)
        .model(model).build()) {
      ChatResponse r = policy.chat(ChatRequest.builder().user("Name a colour. One word.")
          .n(3).temperature(1.0).topP(1.0).maxTokens(16).seed(1L).build());
      assertThat(r.choices()).hasSize(3);
      assertThat(r.usage().completionTokens()).isPositive();
    }
  }
}
