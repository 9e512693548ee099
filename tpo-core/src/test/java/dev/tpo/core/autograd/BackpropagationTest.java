package dev.tpo.core.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.AutogradException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BackpropagationTest {

  /** a -> b, a -> c, (b, c) -> d: the diamond. */
  private static final class Diamond {
    final List<String> log = new ArrayList<>();
    final Variable a = Variable.parameter("a", "the root text");
    final Variable b = RecordingOperation.apply("f", log, a);
    final Variable c = RecordingOperation.apply("g", log, a);
    final Variable d = RecordingOperation.apply("loss", log, b, c);
  }

  @Test
  void topologicalOrderPutsEveryVariableAfterItsPredecessors() {
    Diamond g = new Diamond();
    List<Variable> order = Backpropagation.topologicalOrder(g.d);
    assertThat(order).containsExactly(g.a, g.b, g.c, g.d);
  }

  @Test
  void diamondRunsEachOperationOnceInReverseTopologicalOrder() {
    Diamond g = new Diamond();
    List<Variable> ran = g.d.backward();
    assertThat(ran).containsExactly(g.d, g.c, g.b);
    assertThat(g.log).containsExactly("loss", "g", "f");
  }

  @Test
  void variableOnTwoPathsReceivesEachSuccessorsFeedbackOnce() {
    Diamond g = new Diamond();
    g.d.backward();
    assertThat(g.a.gradients())
        .extracting(TextualGradient::feedback)
        .containsExactly("g(loss(objective))", "f(loss(objective))");
    assertThat(g.a.gradients()).extracting(TextualGradient::outputId)
        .containsExactly(g.c.id(), g.b.id());
  }

  @Test
  void variableUsedTwiceByOneOperationGetsItsFeedbackOnce() {
    List<String> log = new ArrayList<>();
    Variable x = Variable.parameter("x", "a text used twice");
    Variable loss = RecordingOperation.apply("sum", log, x, x);
    loss.backward();
    assertThat(x.gradients()).hasSize(1);
    assertThat(log).containsExactly("sum");
  }

  @Test
  void addGradientIgnoresAnEqualGradient() {
    Variable x = Variable.parameter("x", "a text");
    TextualGradient g = TextualGradient.direct(x, "be shorter");
    assertThat(x.addGradient(g)).isTrue();
    assertThat(x.addGradient(new TextualGradient(x.id(), "be shorter", "direct", x.id(),
        GradientContext.NONE))).isFalse();
    assertThat(x.gradients()).containsExactly(g);
  }

  @Test
  void equalGraphsGiveEqualGradientsInEqualOrder() {
    Diamond first = new Diamond();
    Diamond second = new Diamond();
    first.d.backward();
    second.d.backward();
    assertThat(describe(second.a.gradients())).isEqualTo(describe(first.a.gradients()));
    assertThat(second.log).isEqualTo(first.log);
  }

  @Test
  void repeatedPassesOverTheSameGraphAreIdentical() {
    Diamond g = new Diamond();
    g.d.backward();
    List<String> firstPass = describe(g.a.gradients());
    g.a.clearGradients();
    g.b.clearGradients();
    g.c.clearGradients();
    g.d.backward();
    assertThat(describe(g.a.gradients())).isEqualTo(firstPass);
  }

  private static List<String> describe(List<TextualGradient> gradients) {
    return gradients.stream()
        .map(gr -> gr.operation() + ":" + gr.feedback() + ":" + gr.context())
        .collect(Collectors.toList());
  }

  @Test
  void deepChainOfTenThousandOperationsRunsWithoutStackOverflow() {
    List<String> log = new ArrayList<>();
    Variable root = Variable.parameter("start", "the first text");
    Variable v = root;
    for (int i = 0; i < 10_000; i++) {
      v = RecordingOperation.apply("op" + i, log, v);
    }
    List<Variable> ran = v.backward();
    assertThat(ran).hasSize(10_000);
    assertThat(log.get(0)).isEqualTo("op9999");
    assertThat(log.get(9_999)).isEqualTo("op0");
    assertThat(root.gradients()).hasSize(1);
    assertThat(Backpropagation.topologicalOrder(v)).hasSize(10_001).startsWith(root);
  }

  @Test
  void constantsReceiveNoGradient() {
    List<String> log = new ArrayList<>();
    Variable question = Variable.constant("What is 2+2?", "the question");
    Variable answer = Variable.parameter("5", "the answer");
    Variable loss = RecordingOperation.apply("judge", log, question, answer);
    loss.backward();
    assertThat(question.gradients()).isEmpty();
    assertThat(answer.gradients()).hasSize(1);
  }

  @Test
  void requiresGradIsInheritedFromPredecessors() {
    List<String> log = new ArrayList<>();
    Variable c = Variable.constant("c", "a constant");
    assertThat(RecordingOperation.apply("f", log, c).requiresGrad()).isFalse();
    Variable p = Variable.parameter("p", "a parameter");
    assertThat(RecordingOperation.apply("f", log, c, p).requiresGrad()).isTrue();
  }

  @Test
  void noGradientVariableCannotDependOnOneThatNeedsIt() {
    Variable p = Variable.parameter("p", "the draft answer");
    RecordingOperation op = new RecordingOperation("f", List.of(p), new ArrayList<>());
    assertThatThrownBy(() -> Variable.builder("out").role("a summary").requiresGrad(false)
            .producedBy(op).build())
        .isInstanceOf(AutogradException.class)
        .hasMessageContaining("'a summary' has requiresGrad=false")
        .hasMessageContaining("'the draft answer' (" + p.id() + ") requires a gradient")
        .hasMessageContaining("Leave requiresGrad unset");
  }

  @Test
  void backwardFromALossThatNeedsNoGradientIsRefused() {
    Variable c = Variable.constant("c", "a fixed instruction");
    assertThatThrownBy(c::backward)
        .isInstanceOf(AutogradException.class)
        .hasMessageContaining("'a fixed instruction'")
        .hasMessageContaining("requiresGrad(true)");
  }

  @Test
  void constantRefusesGradients() {
    Variable c = Variable.constant("c", "a fixed instruction");
    assertThatThrownBy(() -> c.addGradient(TextualGradient.direct(c, "x")))
        .isInstanceOf(AutogradException.class)
        .hasMessageContaining("requiresGrad=false");
  }

  @Test
  void blankRoleIsRefused() {
    assertThatThrownBy(() -> Variable.builder("x").role("  "))
        .isInstanceOf(AutogradException.class)
        .hasMessageContaining("Variable.role is blank");
  }
}
