package dev.tpo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.event.Phase;
import dev.tpo.core.model.CallRecord;
import dev.tpo.core.model.CallRecorder;
import dev.tpo.core.model.CallTag;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.testing.ScriptedLanguageModel;
import dev.tpo.core.text.TokenCounter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The interceptors a TPO run puts around its models: settings defaults, context fit, recording. */
class CallInterceptorsTest {
  private static final SettingsDefaults DEFAULTS = new SettingsDefaults(0.3, 0.9, 11L, 100);
  private static final ContextFit FIT = new ContextFit(150, TokenCounter.approximate());

  /** Sends a request through the interceptors and returns it as the model received it. */
  private static ChatRequest sent(ChatRequest request, dev.tpo.core.model.ModelInterceptor... is) {
    ScriptedLanguageModel model = new ScriptedLanguageModel().thenAnswer("ok");
    model.withInterceptors(is).chat(request);
    return model.requests().get(0);
  }

  @Test
  void fillsUnsetSettingsWithTheRunsAndKeepsThoseSet() {
    ChatRequest bare = sent(ChatRequest.builder().user("hi").build(), DEFAULTS);
    assertThat(bare.seed()).contains(11L);
    assertThat(bare.temperature()).contains(0.3);
    assertThat(bare.topP()).contains(0.9);
    assertThat(bare.maxTokens()).contains(100);
    ChatRequest set = sent(ChatRequest.builder().user("hi").seed(1L)
        .temperature(0.0).topP(0.5).maxTokens(20).build(), DEFAULTS);
    assertThat(set.seed()).contains(1L);
    assertThat(set.temperature()).contains(0.0);
    assertThat(set.topP()).contains(0.5);
    assertThat(set.maxTokens()).contains(20);
  }

  @Test
  void lowersMaxTokensToFitTheContextAndRefusesAPromptThatFillsIt() {
    // 400 chars = 100 tokens + 4 for the message: 46 tokens of room in a 150-token context
    ChatRequest r = sent(ChatRequest.builder().user("x".repeat(400)).build(), DEFAULTS, FIT);
    assertThat(r.maxTokens()).contains(46);
    LanguageModel model = new ScriptedLanguageModel().thenAnswer("never")
        .withInterceptors(DEFAULTS, FIT);
    ChatRequest full = new CallTag(Phase.GRADIENT, 2)
        .applyTo(ChatRequest.builder().user("x".repeat(800)).build());
    assertThatThrownBy(() -> model.chat(full))
        .isInstanceOf(ContextFullException.class).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("maxContextTokens=150").hasMessageContaining("the gradient prompt");
  }

  @Test
  void recordsEachCallWithThePhaseAndRoundItsRequestCarries() {
    List<CallRecord> seen = new ArrayList<>();
    CallRecorder recorder = new CallRecorder(Clock.systemUTC(), seen::add);
    LanguageModel model = new ScriptedLanguageModel().thenAnswer("a", "b").thenAnswer("c")
        .withInterceptors(DEFAULTS, FIT, recorder);
    model.chat(ChatRequest.builder().user("q").n(2)
        .tag(CallTag.class, new CallTag(Phase.SAMPLING, 0)).build());
    model.chat(ChatRequest.builder().user("q")
        .tag(CallTag.class, new CallTag(Phase.LOSS, 1)).build());
    assertThat(recorder.calls()).extracting(CallRecord::phase)
        .containsExactly(Phase.SAMPLING, Phase.LOSS);
    assertThat(recorder.calls()).extracting(CallRecord::round).containsExactly(0, 1);
    assertThat(recorder.calls().get(0).outputs()).containsExactly("a", "b");
    assertThat(recorder.calls().get(0).seed()).isEqualTo(11L);
    assertThat(seen).isEqualTo(recorder.calls());
    assertThat(recorder.usage().totalTokens()).isPositive();
    assertThat(recorder.callsSince(1)).hasSize(1);
  }
}
