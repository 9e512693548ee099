package dev.tpo.textgrad.loss;

import dev.tpo.core.model.CallRecorder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.testing.ScriptedLanguageModel;
import dev.tpo.textgrad.Sampling;
import dev.tpo.textgrad.TextGradEngine;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LlmTextLossTest {

  @Test
  void instructionIsSystemPromptAndValueIsUserMessageAndBackwardIsOneRequest() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("The chosen response is clearer but misses an example.")
        .thenAnswer("Add a worked example.");
    Sampling lossSampling = Sampling.builder().temperature(0.7).topP(0.99).build();
    CallRecorder recorder = new CallRecorder();
    TextGradEngine engine = TextGradEngine.of(model.withInterceptors(recorder));
    String instruction = "QUERY: q. REJECTED: r. Compare the response with the rejected one.";
    LlmTextLoss loss = LlmTextLoss.builder(engine).instruction(instruction)
        .sampling(lossSampling).build();
    Variable response = Variable.parameter("the chosen response", "a response to the query");

    Variable l = loss.evaluate(response);
    assertThat(l.predecessors()).hasSize(2);
    assertThat(l.predecessors().get(0).requiresGrad()).isFalse();
    l.backward();

    assertThat(model.requests()).hasSize(2);
    ChatRequest eval = model.request(0);
    assertThat(eval.messages()).hasSize(2);
    assertThat(eval.messages().get(0).content()).isEqualTo(instruction);
    assertThat(eval.messages().get(1).content()).isEqualTo("the chosen response");
    assertThat(eval.temperature()).contains(0.7);
    assertThat(response.gradients()).singleElement()
        .satisfies(g -> assertThat(g.feedback()).isEqualTo("Add a worked example."));
    assertThat(recorder.usage().requests()).isEqualTo(2);
  }

  @Test
  void withInstructionDerivesANewLossAndLeavesTheOriginal() {
    TextGradEngine engine = TextGradEngine.of(new ScriptedLanguageModel());
    LlmTextLoss base = LlmTextLoss.builder(engine).instruction("round 1").build();
    LlmTextLoss next = base.withInstruction("round 2");
    assertThat(base.instruction()).isEqualTo("round 1");
    assertThat(next.instruction()).isEqualTo("round 2");
    assertThat(next.model()).isSameAs(base.model());
  }

  @Test
  void severalFieldsAreLabelledByRoleAndEachGetsItsOwnCritique() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("evaluation").thenAnswer("critique of a").thenAnswer("critique of b");
    TextGradEngine engine = TextGradEngine.of(model);
    Variable a = Variable.parameter("value a", "the question");
    Variable b = Variable.parameter("value b", "the answer");
    Variable l = LlmTextLoss.builder(engine).instruction("Judge.").build().evaluate(List.of(a, b));
    assertThat(model.request(0).messages().get(1).content()).isEqualTo(
        "<FIELD role=\"the question\">\nvalue a\n</FIELD>\n"
            + "<FIELD role=\"the answer\">\nvalue b\n</FIELD>");
    l.backward();
    assertThat(a.gradients()).singleElement().satisfies(
        g -> assertThat(g.feedback()).isEqualTo("critique of a"));
    assertThat(b.gradients()).singleElement().satisfies(
        g -> assertThat(g.feedback()).isEqualTo("critique of b"));
  }

  @Test
  void scoredLossAppendsScoreInstructionAndParsesTheLastScore() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("Mostly right. <SCORE>3</SCORE> on reflection:\n<SCORE> 7.5 </SCORE>");
    TextGradEngine engine = TextGradEngine.of(model);
    ScoredTextLoss loss = ScoredTextLoss.of(
        LlmTextLoss.builder(engine).instruction("Judge the answer.").build(), 0, 10);
    ScoredLoss result = loss.evaluateScored(Variable.parameter("x", "an answer"));
    assertThat(result.score()).hasValue(7.5);
    assertThat(result.loss().value()).contains("Mostly right.");
    assertThat(model.request(0).messages().get(0).content())
        .startsWith("Judge the answer.\n\n")
        .contains("from 0 to 10").contains("<SCORE>number</SCORE>");
  }

  @Test
  void scoreIsEmptyWhenTheEvaluationHasNone() {
    assertThat(ScoredTextLoss.parseScore("no score")).isEmpty();
    assertThat(ScoredTextLoss.parseScore("<SCORE>high</SCORE>")).isEmpty();
    assertThat(ScoredTextLoss.parseScore("<SCORE>-2</SCORE>")).hasValue(-2.0);
  }

  @Test
  void blankInstructionIsRefusedWithTheFieldName() {
    TextGradEngine engine = TextGradEngine.of(new ScriptedLanguageModel());
    assertThatThrownBy(() -> LlmTextLoss.builder(engine).instruction(" ").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("LlmTextLoss.instruction");
    assertThatThrownBy(() -> ScoredTextLoss.of(
        LlmTextLoss.builder(engine).instruction("x").build(), 5, 5))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("5.0 and 5.0");
  }
}
