package dev.tpo.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TpoListenerTest {

  @Test
  void noneIgnoresEverything() {
    assertThatCode(() -> {
      TpoListener.NONE.onRunStarted(new RunStarted("r", "p", Instant.EPOCH));
      TpoListener.NONE.onWarning(new RunWarning("r", 0, "w"));
    }).doesNotThrowAnyException();
  }

  @Test
  void safeListenerSwallowsWhatTheDelegateThrows() {
    TpoListener throwing = new TpoListener() {
      @Override
      public void onRunStarted(RunStarted event) {
        throw new IllegalStateException("listener bug");
      }
    };
    assertThatCode(() -> TpoListener.safe(throwing)
        .onRunStarted(new RunStarted("r", "p", Instant.EPOCH))).doesNotThrowAnyException();
    assertThat(TpoListener.safe(TpoListener.NONE)).isSameAs(TpoListener.NONE);
  }

  @Test
  void compositeCallsEveryListenerInOrder() {
    List<String> seen = new ArrayList<>();
    TpoListener a = new TpoListener() {
      @Override
      public void onWarning(RunWarning e) {
        seen.add("a:" + e.message());
      }
    };
    TpoListener b = new TpoListener() {
      @Override
      public void onWarning(RunWarning e) {
        seen.add("b:" + e.message());
      }
    };
    TpoListener.composite(List.of(a, b)).onWarning(new RunWarning("r", 1, "cut off"));
    assertThat(seen).containsExactly("a:cut off", "b:cut off");
  }
}
