package dev.tpo.examples.customloss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.testing.ScriptedLanguageModel;
import dev.tpo.textgrad.TextGradEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomLossExampleTest {

  @Test
  void rubricInstructionListsEveryCriterionAndForbidsAnswering() {
    String text = RubricLoss.instruction("Q?", List.of("first", "second"));
    assertThat(text).contains("Q?").contains("1. first\n").contains("2. second\n")
        .contains("Do not write a new answer");
  }

  @Test
  void rubricNeedsACriterion() {
    TextGradEngine engine = TextGradEngine.of(new ScriptedLanguageModel());
    assertThatThrownBy(() -> new RubricLoss(engine, "q", List.of()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("criterion");
  }

  @Test
  void oneStepEvaluatesBackpropagatesAndRewritesTheAnswer() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("1. not met: no density. 2. not met. 3. met.")
        .thenAnswer("Mention that ice is less dense because of its hydrogen-bond lattice.")
        .thenAnswer("<NEW_VALUE>Ice floats because it is less dense than water: hydrogen bonds"
            + " hold its molecules in an open lattice.</NEW_VALUE>");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Variable answer = CustomLossExample.optimize(model, "Ice floats because it is cold.", 1,
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(answer.value()).startsWith("Ice floats because it is less dense");
    assertThat(answer.gradients()).isEmpty();
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("step 1 critique:\n1. not met").contains("step 1 answer:\nIce floats");
    List<ChatMessage> lossCall = model.requests().get(0).messages();
    assertThat(lossCall.get(0).content()).contains("Why does ice float on water?")
        .contains("3. It stays under 80 words.");
    assertThat(lossCall.get(lossCall.size() - 1).content()).isEqualTo("Ice floats because it is cold.");
    assertThat(model.requests()).hasSize(3);
  }
}
