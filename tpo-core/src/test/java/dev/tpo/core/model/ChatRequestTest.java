package dev.tpo.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.ConfigurationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatRequestTest {

  @Test
  void buildsWithEverySetting() {
    ChatRequest r = ChatRequest.builder().system("be helpful").user("hi").n(5).temperature(0.7)
        .topP(0.95).maxTokens(2048).seed(7L).stop(List.of("</END>")).putExtraBody("top_k", 20)
        .build();
    assertThat(r.messages()).containsExactly(ChatMessage.system("be helpful"), ChatMessage.user("hi"));
    assertThat(r.n()).isEqualTo(5);
    assertThat(r.temperature()).contains(0.7);
    assertThat(r.topP()).contains(0.95);
    assertThat(r.maxTokens()).contains(2048);
    assertThat(r.seed()).contains(7L);
    assertThat(r.stop()).containsExactly("</END>");
    assertThat(r.extraBody()).containsEntry("top_k", 20);
    assertThat(r.toBuilder().build()).isEqualTo(r).hasSameHashCodeAs(r);
  }

  @Test
  void rejectsOutOfRangeFieldsNamingThem() {
    assertThatThrownBy(() -> ChatRequest.builder().build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("messages is empty");
    assertThatThrownBy(() -> ChatRequest.builder().user("x").n(0).build())
        .hasMessageContaining("ChatRequest.n must be between 1 and 256, got 0");
    assertThatThrownBy(() -> ChatRequest.builder().user("x").temperature(Double.NaN).build())
        .hasMessageContaining("ChatRequest.temperature must be between 0 and 2, got NaN");
    assertThatThrownBy(() -> ChatRequest.builder().user("x").topP(0.0).build())
        .hasMessageContaining("ChatRequest.topP must be greater than 0 and at most 1, got 0.0");
    assertThatThrownBy(() -> ChatRequest.builder().user("x").maxTokens(0).build())
        .hasMessageContaining("ChatRequest.maxTokens must be at least 1, got 0");
  }

  @Test
  void isImmutable() {
    ChatRequest r = ChatRequest.builder().user("x").putExtraBody("a", 1).build();
    assertThatThrownBy(() -> r.messages().add(ChatMessage.user("y")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> r.extraBody().put("b", 2))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void tokenUsageAddsUp() {
    TokenUsage total = TokenUsage.ofRequest(10, 5).plus(TokenUsage.ofRequest(3, 4)).plus(TokenUsage.ZERO);
    assertThat(total).isEqualTo(new TokenUsage(13, 9, 2));
    assertThat(total.totalTokens()).isEqualTo(22);
    assertThatThrownBy(() -> new TokenUsage(-1, 0, 0)).hasMessageContaining("promptTokens=-1");
  }

  @Test
  void finishReasonParsesLeniently() {
    assertThat(FinishReason.fromWire("length")).isEqualTo(FinishReason.LENGTH);
    assertThat(FinishReason.fromWire("STOP")).isEqualTo(FinishReason.STOP);
    assertThat(FinishReason.fromWire(null)).isEqualTo(FinishReason.UNKNOWN);
    assertThat(FinishReason.fromWire("abort")).isEqualTo(FinishReason.UNKNOWN);
    assertThat(new ChatChoice(0, "x", FinishReason.LENGTH).truncated()).isTrue();
  }
}
