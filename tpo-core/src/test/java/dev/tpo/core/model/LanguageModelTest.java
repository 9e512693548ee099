package dev.tpo.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.ServerErrorException;
import dev.tpo.core.testing.ScriptedLanguageModel;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LanguageModelTest {

  @Test
  void blockingFormRethrowsTheAsyncFailureUnwrapped() {
    LanguageModel failing = request ->
        CompletableFuture.failedFuture(new ServerErrorException("boom", 503, "busy"));
    assertThatThrownBy(() -> failing.chat(ChatRequest.builder().user("x").build()))
        .isInstanceOf(ServerErrorException.class)
        .hasMessage("boom");
  }

  @Test
  void scriptedModelAnswersInOrderAndRecordsRequests() {
    ScriptedLanguageModel model = new ScriptedLanguageModel().thenAnswer("a", "b").thenAnswer("c");
    ChatResponse first = model.chat(ChatRequest.builder().user("one").n(2).build());
    ChatResponse second = model.chat(ChatRequest.builder().user("two").build());
    assertThat(first.texts()).containsExactly("a", "b");
    assertThat(second.text()).isEqualTo("c");
    assertThat(model.requests()).hasSize(2);
    assertThat(model.request(1).messages().get(0).content()).isEqualTo("two");
    assertThat(first.usage().requests()).isEqualTo(1);
    assertThat(model.remainingSteps()).isZero();
  }

  @Test
  void scriptedModelFailsClearlyWhenChoicesDoNotMatchN() {
    ScriptedLanguageModel model = new ScriptedLanguageModel().thenAnswer("only one");
    assertThatThrownBy(() -> model.chat(ChatRequest.builder().user("x").n(3).build()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("1 choices but the request asked for n=3");
  }

  @Test
  void scriptedModelFailsClearlyWhenTheScriptRunsOut() {
    ScriptedLanguageModel model = new ScriptedLanguageModel();
    assertThatThrownBy(() -> model.chat(ChatRequest.builder().user("hello").build()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ran out at request #1")
        .hasMessageContaining("hello");
  }
}
