package dev.tpo.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.call.CallFailure;
import dev.tpo.core.call.CallRecorder;
import dev.tpo.core.call.CallTag;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.ServerErrorException;
import dev.tpo.core.event.Phase;
import dev.tpo.core.testing.ScriptedLanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ModelInterceptorTest {

  @Test
  void interceptorsSeeTheRequestInOrderAndMayChangeIt() {
    List<String> seen = new ArrayList<>();
    ModelInterceptor first = chain -> {
      seen.add("first n=" + chain.request().n());
      return chain.proceed(chain.request().toBuilder().seed(5L).build());
    };
    ModelInterceptor second = chain -> {
      seen.add("second seed=" + chain.request().seed().orElse(null));
      return chain.proceed(chain.request());
    };
    ScriptedLanguageModel model = new ScriptedLanguageModel().thenAnswer("a");
    LanguageModel wrapped = model.withInterceptors(first, second);

    ChatResponse response = wrapped.chat(ChatRequest.builder().user("q").build());

    assertThat(response.text()).isEqualTo("a");
    assertThat(seen).containsExactly("first n=1", "second seed=5");
    assertThat(model.requests().get(0).seed()).contains(5L);
    assertThat(wrapped.name()).isEqualTo(model.name());
  }

  @Test
  void anInterceptorMayProceedSeveralTimesOrAnswerItself() {
    ScriptedLanguageModel model = new ScriptedLanguageModel().thenAnswer("x").thenAnswer("y");
    ModelInterceptor twice = chain -> chain.proceed(chain.request())
        .thenCombine(chain.proceed(chain.request()), (a, b) -> new ChatResponse(
            List.of(new ChatChoice(0, a.text() + b.text(), FinishReason.STOP)),
            a.usage().plus(b.usage()), a.model()));
    assertThat(model.withInterceptors(twice).chat(ChatRequest.builder().user("q").build())
        .text()).isIn("xy", "yx");
    assertThat(model.requests()).hasSize(2);

    ModelInterceptor cached = chain -> CompletableFuture.completedFuture(new ChatResponse(
        List.of(new ChatChoice(0, "cached", FinishReason.STOP)), TokenUsage.ZERO, "cache"));
    assertThat(model.withInterceptors(cached).chat(ChatRequest.builder().user("q").build())
        .text()).isEqualTo("cached");
    assertThat(model.requests()).hasSize(2);
  }

  @Test
  void anInterceptorThatThrowsFailsTheFutureNotTheCaller() {
    ModelInterceptor refuse = chain -> {
      throw new ConfigurationException("too long");
    };
    LanguageModel wrapped = new ScriptedLanguageModel().withInterceptors(refuse);
    CompletableFuture<ChatResponse> f = wrapped.chatAsync(ChatRequest.builder().user("q").build());
    assertThat(f).isCompletedExceptionally();
    assertThatThrownBy(() -> wrapped.chat(ChatRequest.builder().user("q").build()))
        .isInstanceOf(ConfigurationException.class).hasMessage("too long");
  }

  @Test
  void tagsTravelWithTheRequestButAreNotPartOfItsValue() {
    CallTag tag = new CallTag(Phase.UPDATE, 2);
    ChatRequest plain = ChatRequest.builder().user("q").build();
    ChatRequest tagged = tag.applyTo(plain);
    assertThat(tagged.tag(CallTag.class)).contains(tag);
    assertThat(plain.tag(CallTag.class)).isEmpty();
    assertThat(tagged.toBuilder().n(2).build().tag(CallTag.class)).contains(tag);
    assertThat(tagged).isEqualTo(plain).hasSameHashCodeAs(plain);
    assertThat(tagged.toBuilder().tag(CallTag.class, null).build().tags()).isEmpty();

    CallRecorder recorder = new CallRecorder();
    new ScriptedLanguageModel().thenAnswer("a").withInterceptors(recorder).chat(tagged);
    assertThat(recorder.calls()).singleElement().satisfies(c -> {
      assertThat(c.phase()).isEqualTo(Phase.UPDATE);
      assertThat(c.round()).isEqualTo(2);
      assertThat(c.outputs()).containsExactly("a");
    });
  }

  @Test
  void theRecorderCountsAFailedRequestAsOneRequestForItsFailureCallbackNotAsARecord() {
    List<CallFailure> failures = new ArrayList<>();
    CallRecorder recorder =
        new CallRecorder(java.time.Clock.systemUTC(), c -> { }, failures::add);
    ServerErrorException boom = new ServerErrorException("HTTP 500", 500, "");
    LanguageModel model = new ScriptedLanguageModel().thenFail(boom).thenAnswer("a")
        .withInterceptors(recorder);
    ChatRequest tagged = new CallTag(Phase.LOSS, 1).applyTo(ChatRequest.builder().user("q").build());
    assertThatThrownBy(() -> model.chat(tagged)).isSameAs(boom);
    model.chat(tagged);
    assertThat(recorder.calls()).hasSize(1);
    assertThat(recorder.failureCount()).isEqualTo(1);
    assertThat(failures).singleElement().satisfies(f -> {
      assertThat(f.phase()).isEqualTo(Phase.LOSS);
      assertThat(f.round()).isEqualTo(1);
      assertThat(f.usage()).isEqualTo(TokenUsage.ofRequest(0, 0));
      assertThat(f.error()).isSameAs(boom);
    });
  }
}
