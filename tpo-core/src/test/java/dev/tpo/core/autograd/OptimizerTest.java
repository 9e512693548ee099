package dev.tpo.core.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.AutogradException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptimizerTest {

  /** Appends the feedback to the value: enough to see that update() ran with the gradients. */
  private static final class AppendingOptimizer extends AbstractOptimizer {
    AppendingOptimizer(List<Variable> parameters) {
      super(parameters);
    }

    @Override
    protected void update() {
      for (Variable p : parameters()) {
        StringBuilder sb = new StringBuilder(p.value());
        p.gradients().forEach(g -> sb.append(" [").append(g.feedback()).append(']'));
        p.setValue(sb.toString());
      }
    }
  }

  @Test
  void stepWithoutGradientIsRefusedNamingTheParameter() {
    Variable p = Variable.parameter("draft", "the answer to improve");
    Optimizer opt = new AppendingOptimizer(List.of(p));
    assertThatThrownBy(opt::step)
        .isInstanceOf(AutogradException.class)
        .hasMessageContaining("cannot step")
        .hasMessageContaining("'the answer to improve' (" + p.id() + ")")
        .hasMessageContaining("Call backward()");
    assertThat(p.value()).isEqualTo("draft");
  }

  @Test
  void stepUpdatesFromGradientsAndZeroGradClearsThem() {
    Variable p = Variable.parameter("draft", "the answer");
    Variable loss = RecordingOperation.apply("judge", new ArrayList<>(), p);
    Optimizer opt = new AppendingOptimizer(List.of(p));
    loss.backward();
    opt.step();
    assertThat(p.value()).isEqualTo("draft [judge(objective)]");
    opt.zeroGrad();
    assertThat(p.gradients()).isEmpty();
    assertThatThrownBy(opt::step).isInstanceOf(AutogradException.class);
  }

  @Test
  void constantsCannotBeParameters() {
    Variable c = Variable.constant("c", "a fixed instruction");
    assertThatThrownBy(() -> new AppendingOptimizer(List.of(c)))
        .isInstanceOf(AutogradException.class)
        .hasMessageContaining("requiresGrad=false");
    assertThatThrownBy(() -> new AppendingOptimizer(List.of()))
        .isInstanceOf(AutogradException.class)
        .hasMessageContaining("at least one parameter");
  }

  @Test
  void textLossIsAFunctionalInterface() {
    TextLoss loss = vars -> RecordingOperation.apply("judge", new ArrayList<>(), vars.get(0));
    Variable p = Variable.parameter("x", "a text");
    Variable l = loss.evaluate(p);
    assertThat(l.predecessors()).containsExactly(p);
    assertThat(l.requiresGrad()).isTrue();
  }
}
