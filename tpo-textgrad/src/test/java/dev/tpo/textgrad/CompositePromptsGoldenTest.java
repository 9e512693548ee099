package dev.tpo.textgrad;

import static dev.tpo.textgrad.prompt.GoldenTemplatesTest.assertGolden;

import dev.tpo.core.autograd.GradientContext;
import dev.tpo.core.autograd.TextualGradient;
import dev.tpo.core.autograd.Variable;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.testing.ScriptedLanguageModel;
import dev.tpo.textgrad.loss.LlmTextLoss;
import dev.tpo.textgrad.optim.TextualGradientDescent;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Golden tests of whole requests as the engine assembles them from the templates: the update
 * request of textual gradient descent and the backward request of a loss. Regenerate with
 * {@code -Dgolden.update=true} and review the diff.
 */
@Timeout(10)
class CompositePromptsGoldenTest {

  static String show(List<ChatMessage> messages) {
    return messages.stream().map(m -> "### " + m.role().wireName() + "\n" + m.content())
        .collect(Collectors.joining("\n\n"));
  }

  @Test
  void updateRequest() throws IOException {
    TextGradEngine engine = TextGradEngine.of(new ScriptedLanguageModel());
    Variable answer = Variable.builder("Paris is the capital of France.")
        .role("a short answer to the user's question").requiresGrad(true).id("answer").build();
    answer.addGradient(new TextualGradient("answer", "Name the river the city lies on.",
        "text-loss", "loss", new GradientContext("Evaluate the answer for completeness.",
            "Paris is the capital of France.", "Correct, but it says nothing about geography.")));
    answer.addGradient(TextualGradient.direct(answer, "Keep it to one sentence."));
    TextualGradientDescent tgd = TextualGradientDescent.builder(engine)
        .constraints(List.of("Only generate the answer.", "Stay under 30 words."))
        .examples(List.of("Rome is the capital of Italy and lies on the Tiber."))
        .momentumWindow(2)
        .build();
    List<ChatMessage> messages = tgd.updateMessages(answer,
        List.of("Paris.", "The capital is Paris.", "Paris, France."));
    assertGolden("composite-update-request", show(messages));
  }

  @Test
  void lossBackwardRequest() throws IOException {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("The response is accurate but omits the river.")
        .thenAnswer("critique");
    TextGradEngine engine = TextGradEngine.of(model);
    Variable answer = Variable.parameter("Paris is the capital of France.",
        "a response to the user's query");
    Variable loss = LlmTextLoss.builder(engine)
        .instruction("Query: Where is Paris?\nCompare the response with this rejected one: Paris"
            + " is in Texas.")
        .build().evaluate(answer);
    loss.backward();
    assertGolden("composite-loss-backward-request", show(model.request(1).messages()));
  }
}
