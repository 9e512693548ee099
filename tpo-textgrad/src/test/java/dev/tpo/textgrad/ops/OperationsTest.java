package dev.tpo.textgrad.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.autograd.TextualGradient;
import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.testing.ScriptedLanguageModel;
import dev.tpo.textgrad.TextGradEngine;
import dev.tpo.textgrad.loss.LlmTextLoss;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OperationsTest {

  @Test
  void formattedCallFillsTemplateAndOrdersInputsByPlaceholder() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("improved draft")
        .thenAnswer("critique of the draft");
    TextGradEngine engine = TextGradEngine.of(model);
    Variable question = Variable.constant("Why is the sky blue?", "the question");
    Variable draft = Variable.parameter("Because.", "the draft answer");
    Map<String, Variable> inputs = new LinkedHashMap<>();
    inputs.put("draft", draft);
    inputs.put("question", question);
    FormattedLlmCall call = FormattedLlmCall.builder(engine)
        .template("Question: {{question}}\nDraft: {{draft}}")
        .systemPrompt("Improve drafts.").build();

    Variable out = call.forward(inputs);
    assertThat(out.predecessors()).hasSize(3);
    assertThat(out.predecessors().get(1)).isSameAs(question);
    assertThat(out.predecessors().get(2)).isSameAs(draft);
    assertThat(model.request(0).messages().get(1).content())
        .isEqualTo("Question: Why is the sky blue?\nDraft: Because.");

    out.addGradient(TextualGradient.direct(out, "too short"));
    out.backward();
    assertThat(model.requests()).hasSize(2);
    assertThat(model.request(1).messages().get(1).content())
        .contains("Question: Why is the sky blue?\nDraft: Because.")
        .contains("<FEEDBACK>\ntoo short\n</FEEDBACK>")
        .contains("<VARIABLE>\nBecause.\n</VARIABLE>");
    assertThat(draft.gradients()).singleElement()
        .satisfies(g -> assertThat(g.feedback()).isEqualTo("critique of the draft"));
  }

  @Test
  void formattedCallRejectsMissingAndExtraInputs() {
    TextGradEngine engine = TextGradEngine.of(new ScriptedLanguageModel());
    FormattedLlmCall call = FormattedLlmCall.builder(engine).template("A {{a}} B {{b}}").build();
    Variable v = Variable.constant("x", "x");
    assertThatThrownBy(() -> call.forward(Map.of("a", v)))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("{{b}}");
    assertThatThrownBy(() -> call.forward(Map.of("a", v, "b", v, "c", v)))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("[c]");
  }

  @Test
  void functionCallBackwardAsksHowEachInputShouldChange() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("The answer names Lyon; the expected answer is Paris.");
    TextGradEngine engine = TextGradEngine.of(model);
    Variable answer = Variable.parameter("Lyon", "the answer");
    Variable expected = Variable.constant("Paris", "the expected answer");
    FunctionCall exactMatch = FunctionCall.builder(engine)
        .purpose("1 when the answer equals the expected answer, else 0")
        .function(v -> v.get(0).equals(v.get(1)) ? "1" : "0")
        .outputRole("whether the answer is correct").build();

    Variable correct = exactMatch.forward(answer, expected);
    assertThat(correct.value()).isEqualTo("0");
    correct.backward();

    assertThat(model.requests()).hasSize(1);
    String user = model.request(0).messages().get(1).content();
    assertThat(user)
        .contains("What the function does: 1 when the answer equals the expected answer")
        .contains("<FIELD role=\"the expected answer\">\nParis\n</FIELD>")
        .contains("<OUTPUT>\n0\n</OUTPUT>")
        .contains("<VARIABLE>\nLyon\n</VARIABLE>");
    assertThat(answer.gradients()).singleElement().satisfies(g -> {
      assertThat(g.operation()).isEqualTo(FunctionCall.NAME);
      assertThat(g.context().systemPrompt()).startsWith("1 when");
    });
  }

  @Test
  void sumPassesEachFeedbackToEveryInputOnceWithoutModelCalls() {
    Variable a = Variable.parameter("a", "part a");
    Variable b = Variable.parameter("b", "part b");
    Variable total = Sum.of(a, b);
    assertThat(total.value()).isEqualTo("a\n\nb");
    assertThat(total.role()).isEqualTo("the combination of: part a; part b");
    total.addGradient(TextualGradient.direct(total, "feedback 1"));
    total.addGradient(TextualGradient.direct(total, "feedback 2"));
    total.backward();
    assertThat(a.gradients()).extracting(TextualGradient::feedback)
        .containsExactly("feedback 1", "feedback 2");
    assertThat(b.gradients()).extracting(TextualGradient::feedback)
        .containsExactly("feedback 1", "feedback 2");
  }

  @Test
  void sumOfLossesBackpropagatesIntoEachLoss() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("eval 1").thenAnswer("eval 2")
        .thenAnswer("critique 2").thenAnswer("critique 1");
    TextGradEngine engine = TextGradEngine.of(model);
    Variable x = Variable.parameter("x", "a text");
    LlmTextLoss loss = LlmTextLoss.builder(engine).instruction("Judge.").build();
    Variable total = Sum.of(loss.evaluate(x), loss.withInstruction("Judge again.").evaluate(x));
    total.backward();
    // Reverse topological order: the second loss runs first; the order is the same every run.
    assertThat(x.gradients()).extracting(TextualGradient::feedback)
        .containsExactly("critique 2", "critique 1");
  }

  @Test
  void anInputUsedTwiceIsCritiquedOnceAndConstantsNever() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("joined")
        .thenAnswer("critique of the part");
    TextGradEngine engine = TextGradEngine.of(model);
    Variable part = Variable.parameter("part", "the part");
    Variable fixed = Variable.constant("fixed", "a constant");
    FormattedLlmCall call = FormattedLlmCall.builder(engine)
        .template("{{a}} {{b}} {{c}}").build();

    Variable out = call.forward(Map.of("a", part, "b", fixed, "c", part));
    out.addGradient(TextualGradient.direct(out, "too long"));
    out.backward();
    assertThat(model.requests()).hasSize(2);
    assertThat(part.gradients()).singleElement()
        .satisfies(g -> assertThat(g.feedback()).isEqualTo("critique of the part"));
    assertThat(fixed.gradients()).isEmpty();
    assertThat(GradientTargets.of(List.of(part, fixed, part))).containsExactly(part);
  }
}
