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

  @Test
  void compositeAndSafeForwardTheRoundEvents() {
    List<Object> seen = new ArrayList<>();
    TpoListener recording = new TpoListener() {
      @Override
      public void onRoundStarted(RoundStarted e) {
        seen.add(e);
      }

      @Override
      public void onLossComputed(LossComputed e) {
        seen.add(e);
      }

      @Override
      public void onGradientComputed(GradientComputed e) {
        seen.add(e);
      }

      @Override
      public void onCandidatesProposed(CandidatesProposed e) {
        seen.add(e);
      }
    };
    TpoListener l = TpoListener.safe(TpoListener.composite(List.of(recording)));
    RoundStarted started = new RoundStarted("r", 1, 2.0, -1.0);
    LossComputed loss = new LossComputed("r", 1, "critique");
    GradientComputed gradient = new GradientComputed("r", 1, "feedback");
    CandidatesProposed proposed = new CandidatesProposed("r", 1, 4, 1);
    l.onRoundStarted(started);
    l.onLossComputed(loss);
    l.onGradientComputed(gradient);
    l.onCandidatesProposed(proposed);
    assertThat(seen).containsExactly(started, loss, gradient, proposed);
  }

  @Test
  void compositeAndSafeForwardAFailedPhase() {
    List<Object> seen = new ArrayList<>();
    TpoListener recording = new TpoListener() {
      @Override
      public void onPhaseFailed(PhaseFailed e) {
        seen.add(e);
      }
    };
    PhaseFailed failed = new PhaseFailed("r", 0, Phase.SAMPLING,
        dev.tpo.core.model.TokenUsage.ofRequest(0, 0), java.time.Duration.ofMillis(3), null,
        new IllegalStateException("HTTP 500"));
    TpoListener.safe(TpoListener.composite(List.of(recording))).onPhaseFailed(failed);
    assertThat(seen).containsExactly(failed);
    assertThat(failed.model()).isEmpty();
  }
}
