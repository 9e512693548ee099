package dev.tpo.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.CallRecord;
import dev.tpo.TpoSettings;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.event.Phase;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.testing.ScriptedLanguageModel;
import dev.tpo.core.text.TokenCounter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallRecorderTest {
  private static final TpoSettings SETTINGS =
      new TpoSettings(2, 1, 0.3, 0.9, 11L, 100, 150, 50, null, null);

  @Test
  void fillsUnsetSettingsWithTheRunsAndKeepsThoseSet() {
    CallRecorder recorder = new CallRecorder(Clock.systemUTC(), SETTINGS,
        TokenCounter.approximate(), c -> { });
    ChatRequest bare = recorder.complete(ChatRequest.builder().user("hi").build());
    assertThat(bare.seed()).contains(11L);
    assertThat(bare.temperature()).contains(0.3);
    assertThat(bare.topP()).contains(0.9);
    assertThat(bare.maxTokens()).contains(100);
    ChatRequest set = recorder.complete(ChatRequest.builder().user("hi").seed(1L)
        .temperature(0.0).topP(0.5).maxTokens(20).build());
    assertThat(set.seed()).contains(1L);
    assertThat(set.temperature()).contains(0.0);
    assertThat(set.topP()).contains(0.5);
    assertThat(set.maxTokens()).contains(20);
  }

  @Test
  void lowersMaxTokensToFitTheContextAndRefusesAPromptThatFillsIt() {
    CallRecorder recorder = new CallRecorder(Clock.systemUTC(), SETTINGS,
        TokenCounter.approximate(), c -> { });
    // 400 chars = 100 tokens + 4 for the message: 46 tokens of room in a 150-token context
    ChatRequest r = recorder.complete(ChatRequest.builder().user("x".repeat(400)).build());
    assertThat(r.maxTokens()).contains(46);
    assertThatThrownBy(() -> recorder.complete(ChatRequest.builder().user("x".repeat(800)).build()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("maxContextTokens=150");
  }

  @Test
  void recordsEachCallWithItsPhaseAndRound() {
    List<CallRecord> seen = new ArrayList<>();
    CallRecorder recorder = new CallRecorder(Clock.systemUTC(), SETTINGS,
        TokenCounter.approximate(), seen::add);
    LanguageModel model = recorder.wrap(new ScriptedLanguageModel().thenAnswer("a", "b")
        .thenAnswer("c"));
    recorder.enter(Phase.SAMPLING, 0);
    model.chat(ChatRequest.builder().user("q").n(2).build());
    recorder.enter(Phase.LOSS, 1);
    model.chat(ChatRequest.builder().user("q").build());
    assertThat(recorder.calls()).extracting(CallRecord::phase)
        .containsExactly(Phase.SAMPLING, Phase.LOSS);
    assertThat(recorder.calls()).extracting(CallRecord::round).containsExactly(0, 1);
    assertThat(recorder.calls().get(0).outputs()).containsExactly("a", "b");
    assertThat(seen).isEqualTo(recorder.calls());
    assertThat(recorder.stats()).containsOnlyKeys(Phase.SAMPLING, Phase.LOSS);
    assertThat(recorder.totalTokens()).isPositive();
    assertThat(recorder.callsSince(1)).hasSize(1);
  }
}
