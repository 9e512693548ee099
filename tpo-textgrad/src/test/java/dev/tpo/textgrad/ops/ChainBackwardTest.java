package dev.tpo.textgrad.ops;

import dev.tpo.core.model.CallTag;
import dev.tpo.core.model.CallRecorder;
import dev.tpo.core.model.CallRecord;
import dev.tpo.core.event.Phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.core.autograd.TextualGradient;
import dev.tpo.core.autograd.Variable;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatRole;
import dev.tpo.core.model.TokenUsage;
import dev.tpo.core.testing.ScriptedLanguageModel;
import dev.tpo.textgrad.Sampling;
import dev.tpo.textgrad.TextGradEngine;
import dev.tpo.textgrad.loss.LlmTextLoss;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ChainBackwardTest {
  static final String INSTRUCTION = "Evaluate the answer for accuracy. Do not answer it yourself.";

  @Test
  void twoStepChainBackpropagatesToAnswerAndPrompt() {
    ScriptedLanguageModel forward = new ScriptedLanguageModel().named("fwd")
        .thenAnswer("The capital is Paris.");
    ScriptedLanguageModel backward = new ScriptedLanguageModel().named("bwd")
        .thenAnswer("EVALUATION: correct but terse.")
        .thenAnswer("CRITIQUE OF ANSWER: mention France.")
        .thenAnswer("CRITIQUE OF PROMPT: ask for a full sentence naming the country.");
    Sampling backSampling = Sampling.builder().temperature(0.7).topP(0.99).build();
    TextGradEngine engine = TextGradEngine.builder().forwardModel(forward).backwardModel(backward)
        .backwardSampling(backSampling).build();

    Variable prompt = Variable.parameter("Answer briefly.", "the system prompt of the assistant");
    Variable question = Variable.constant("What is the capital of France?", "the user's question");
    Variable answer = LlmCall.builder(engine).systemPrompt(prompt)
        .outputRole("the assistant's answer").build().forward(question);
    Variable loss = LlmTextLoss.builder(engine).instruction(INSTRUCTION).build().evaluate(answer);

    assertThat(answer.value()).isEqualTo("The capital is Paris.");
    assertThat(answer.requiresGrad()).isTrue();
    assertThat(loss.value()).isEqualTo("EVALUATION: correct but terse.");

    loss.backward();

    // The loss gives the answer exactly one gradient, from one backward request.
    assertThat(answer.gradients()).hasSize(1);
    TextualGradient g = answer.gradients().get(0);
    assertThat(g.feedback()).isEqualTo("CRITIQUE OF ANSWER: mention France.");
    assertThat(g.operation()).isEqualTo(LlmTextLoss.NAME);
    assertThat(g.outputId()).isEqualTo(loss.id());
    assertThat(g.context().systemPrompt()).isEqualTo(INSTRUCTION);
    assertThat(g.context().input()).isEqualTo("The capital is Paris.");
    assertThat(g.context().output()).isEqualTo("EVALUATION: correct but terse.");

    assertThat(prompt.gradients()).singleElement().satisfies(pg -> {
      assertThat(pg.feedback()).startsWith("CRITIQUE OF PROMPT");
      assertThat(pg.operation()).isEqualTo(LlmCall.NAME);
      assertThat(pg.context().input()).isEqualTo("What is the capital of France?");
    });
    assertThat(question.gradients()).isEmpty();

    // Requests: forward model got one forward call; backward model got loss + 2 critiques.
    assertThat(forward.requests()).hasSize(1);
    ChatRequest fwd = forward.request(0);
    assertThat(fwd.messages().get(0).content()).isEqualTo("Answer briefly.");
    assertThat(fwd.messages().get(1).content()).isEqualTo("What is the capital of France?");
    assertThat(backward.requests()).hasSize(3);
    ChatRequest lossRequest = backward.request(0);
    assertThat(lossRequest.messages()).extracting(m -> m.role())
        .containsExactly(ChatRole.SYSTEM, ChatRole.USER);
    assertThat(lossRequest.messages().get(0).content()).isEqualTo(INSTRUCTION);
    assertThat(lossRequest.messages().get(1).content()).isEqualTo("The capital is Paris.");

    ChatRequest answerCritique = backward.request(1);
    String system = answerCritique.messages().get(0).content();
    String user = answerCritique.messages().get(1).content();
    assertThat(system).isEqualTo(
        PromptTemplates.defaults().render(PromptTemplates.BACKWARD_SYSTEM, Map.of()));
    assertThat(system).contains("Never write a new or revised version");
    assertThat(user)
        .contains("<SYSTEM_PROMPT>\n" + INSTRUCTION + "\n</SYSTEM_PROMPT>")
        .contains("<OUTPUT>\nEVALUATION: correct but terse.\n</OUTPUT>")
        .contains("<VARIABLE>\nThe capital is Paris.\n</VARIABLE>")
        .contains("The variable to criticise has this role: the assistant's answer.")
        .contains("The output above is " + LlmTextLoss.DEFAULT_OUTPUT_ROLE + "; doing better");
    // The variable is the user message: shown once in full, referenced in the conversation.
    assertThat(user).contains("<USER_MESSAGE>\n[the variable's value, shown in full elsewhere");
    assertThat(answerCritique.n()).isEqualTo(1);
    assertThat(answerCritique.temperature()).contains(0.7);
    assertThat(answerCritique.topP()).contains(0.99);

    ChatRequest promptCritique = backward.request(2);
    String user2 = promptCritique.messages().get(1).content();
    assertThat(user2)
        .contains("<USER_MESSAGE>\nWhat is the capital of France?\n</USER_MESSAGE>")
        .contains("<OUTPUT>\nThe capital is Paris.\n</OUTPUT>")
        .contains("<FEEDBACK>\nCRITIQUE OF ANSWER: mention France.\n</FEEDBACK>")
        .contains("serves as the assistant's answer")
        .contains("<VARIABLE>\nAnswer briefly.\n</VARIABLE>")
        .contains("<SYSTEM_PROMPT>\n[the variable's value");
  }

  @Test
  void everyCallIsRecordedWithItsPhaseByARecorderOnTheModel() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("answer text").thenAnswer("evaluation").thenAnswer("critique of answer")
        .thenAnswer("critique of question");
    CallRecorder recorder = new CallRecorder();
    TextGradEngine engine = TextGradEngine.builder().forwardModel(model.withInterceptors(recorder))
        .tag(new CallTag(Phase.LOSS, 3)).build();
    Variable input = Variable.parameter("a question to rewrite", "the question");
    Variable answer = LlmCall.builder(engine).build().forward(input);
    Variable loss = LlmTextLoss.builder(engine).instruction("Judge it.").build().evaluate(answer);
    loss.backward();

    List<CallRecord> calls = recorder.calls();
    // In the order sent: both forward calls, then backward from the loss to the question.
    assertThat(calls).extracting(CallRecord::phase)
        .containsExactly(Phase.LOSS, Phase.LOSS, Phase.GRADIENT, Phase.GRADIENT);
    assertThat(calls).extracting(CallRecord::round).containsOnly(3);
    assertThat(calls.get(3).outputs()).containsExactly("critique of question");
    TokenUsage expected = TokenUsage.ZERO;
    for (CallRecord c : calls) {
      expected = expected.plus(c.usage());
    }
    assertThat(recorder.usage()).isEqualTo(expected);
    assertThat(recorder.usage().requests()).isEqualTo(model.requests().size());
  }
}
