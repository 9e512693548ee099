package dev.tpo.textgrad.optim;

import dev.tpo.core.model.CallTag;
import dev.tpo.core.model.CallRecorder;
import dev.tpo.core.model.CallRecord;
import dev.tpo.core.event.Phase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.autograd.GradientContext;
import dev.tpo.core.autograd.TextualGradient;
import dev.tpo.core.autograd.Variable;
import dev.tpo.core.error.AutogradException;
import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatRole;
import dev.tpo.core.model.FinishReason;
import dev.tpo.core.testing.ScriptedLanguageModel;
import dev.tpo.textgrad.Sampling;
import dev.tpo.textgrad.TextGradEngine;
import dev.tpo.textgrad.prompt.ContextBudget;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TgdOptimizerTest {
  /** A value much longer than TextGrad's first/last ten words. */
  static final String LONG_VALUE = "Paris is the capital of France. It lies on the Seine, in the"
      + " north of the country, and has been the seat of government for most of the last"
      + " thousand years. MIDDLE-MARKER The city is also the country's largest by population.";

  static Sampling tpoSampling() {
    return Sampling.builder().temperature(0.7).topP(0.95).seed(7L).maxTokens(2048)
        .putExtraBody("top_k", 20).build();
  }

  static Variable answerWithTwoGradients(String value) {
    Variable answer = Variable.parameter(value, "a response to the user's question");
    answer.addGradient(new TextualGradient(answer.id(), "FEEDBACK-ONE: name the river first.",
        "text-loss", "loss-1",
        new GradientContext("LOSS-SYSTEM: compare with the rejected response", value,
            "LOSS-OUTPUT: the chosen one is better")));
    answer.addGradient(new TextualGradient(answer.id(), "FEEDBACK-TWO: shorter please.",
        "llm-call", "out-2", new GradientContext("OTHER-SYSTEM", "OTHER-INPUT", "OTHER-OUTPUT")));
    return answer;
  }

  static String wrap(String v) {
    return "Here it is.\n<NEW_VALUE>\n" + v + "\n</NEW_VALUE>";
  }

  @Test
  void updateRequestShowsFullValueGradientsConstraintsExamplesAndMomentum() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer(wrap("second value"))
        .thenAnswer(wrap("third value"))
        .thenAnswer(wrap("fourth value"));
    TextGradEngine engine = TextGradEngine.of(model);
    TextualGradientDescent tgd = TextualGradientDescent.builder(engine)
        .constraints(List.of("Only generate a chosen response.", "Do not generate a rejected one."))
        .examples(List.of("EXAMPLE-VALUE: Rome is the capital of Italy."))
        .momentumWindow(2)
        .build();
    Variable answer = answerWithTwoGradients(LONG_VALUE);
    TgdOptimizer optimizer = tgd.optimizer(answer);

    optimizer.step();
    assertThat(answer.value()).isEqualTo("second value");
    ChatRequest first = model.request(0);
    assertThat(first.messages()).extracting(m -> m.role())
        .containsExactly(ChatRole.SYSTEM, ChatRole.USER);
    String system = first.messages().get(0).content();
    String user = first.messages().get(1).content();
    assertThat(system).contains("between <NEW_VALUE> and </NEW_VALUE>");
    assertThat(user)
        .contains("<CURRENT_VALUE>\n" + LONG_VALUE + "\n</CURRENT_VALUE>")
        .contains("role: a response to the user's question")
        .contains("FEEDBACK-ONE: name the river first.")
        .contains("LOSS-SYSTEM: compare with the rejected response")
        .contains("LOSS-OUTPUT: the chosen one is better")
        .contains("FEEDBACK-TWO: shorter please.")
        .contains("OTHER-SYSTEM").contains("OTHER-INPUT").contains("OTHER-OUTPUT")
        .contains("1. Only generate a chosen response.")
        .contains("2. Do not generate a rejected one.")
        .contains("<EXAMPLE>\nEXAMPLE-VALUE: Rome is the capital of Italy.\n</EXAMPLE>")
        .contains("between <NEW_VALUE> and </NEW_VALUE>")
        .doesNotContain("PAST_VALUE");
    // The full value appears once; the context that equals it is a reference.
    assertThat(user.split("MIDDLE-MARKER", -1)).hasSize(2);
    assertThat(user).contains("<INPUT>\n[the variable's value, shown in full elsewhere");

    optimizer.step();
    optimizer.step();
    assertThat(answer.value()).isEqualTo("fourth value");
    assertThat(optimizer.history(answer))
        .containsExactly(LONG_VALUE, "second value", "third value");
    String third = model.request(2).messages().get(1).content();
    // Momentum window of 2: the two most recent past values, oldest first, with their steps.
    assertThat(third)
        .contains("<PAST_VALUE step=\"1\">\n" + LONG_VALUE + "\n</PAST_VALUE>\n"
            + "<PAST_VALUE step=\"2\">\nsecond value\n</PAST_VALUE>")
        .contains("<CURRENT_VALUE>\nthird value\n</CURRENT_VALUE>");
    assertThat(third.indexOf("PAST_VALUE")).isLessThan(third.indexOf("constraints"));
  }

  @Test
  void momentumWindowShowsOnlyTheMostRecentValues() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer(wrap("v2")).thenAnswer(wrap("v3")).thenAnswer(wrap("v4"));
    TgdOptimizer optimizer = TextualGradientDescent.builder(TextGradEngine.of(model))
        .momentumWindow(1).build().optimizer(answerWithTwoGradients("v1"));
    optimizer.step();
    optimizer.step();
    optimizer.step();
    String third = model.request(2).messages().get(1).content();
    assertThat(third).contains("<PAST_VALUE step=\"2\">\nv2\n</PAST_VALUE>")
        .doesNotContain("step=\"1\"");
  }

  @Test
  void nChoicesComeBackAsNCandidatesFromOneRequestWithTheCallersSampling() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer(wrap("A"), wrap("B"), wrap("C"), wrap("D"), wrap("E"));
    TextGradEngine engine = TextGradEngine.of(model);
    Variable answer = answerWithTwoGradients("start");
    TgdOptimizer optimizer = TextualGradientDescent.builder(engine).sampling(tpoSampling()).build()
        .optimizer(answer);

    Proposal proposal = optimizer.propose(5);

    assertThat(model.requests()).hasSize(1);
    ChatRequest request = model.request(0);
    assertThat(request.n()).isEqualTo(5);
    assertThat(request.temperature()).contains(0.7);
    assertThat(request.topP()).contains(0.95);
    assertThat(request.seed()).contains(7L);
    assertThat(request.maxTokens()).contains(2048);
    assertThat(request.extraBody()).containsEntry("top_k", 20);
    ParameterProposal p = proposal.forParameter(answer);
    assertThat(p.values()).containsExactly("A", "B", "C", "D", "E");
    assertThat(p.candidates()).extracting(Candidate::choiceIndex).containsExactly(0, 1, 2, 3, 4);
    assertThat(p.candidates()).allMatch(c -> c.complete() && !c.reformatted());
    assertThat(p.dropped()).isEmpty();
    assertThat(p.updateRequest()).isSameAs(request);
    // Proposing changes nothing; accepting sets the chosen candidate.
    assertThat(answer.value()).isEqualTo("start");
    optimizer.accept(p.candidates().get(3));
    assertThat(answer.value()).isEqualTo("D");
    assertThat(optimizer.history(answer)).containsExactly("start");
  }

  @Test
  void choiceWithoutTagsTriggersExactlyOneReformatRequest() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer(wrap("A"), "I would write: B, plainly.", wrap("C"))
        .thenAnswer("<NEW_VALUE>B, plainly.</NEW_VALUE>");
    Variable answer = answerWithTwoGradients("start");
    CallRecorder recorder = new CallRecorder();
    TextGradEngine engine = TextGradEngine.builder().forwardModel(model.withInterceptors(recorder))
        .tag(new CallTag(Phase.LOSS, 2)).build();
    TgdOptimizer optimizer = TextualGradientDescent.builder(engine)
        .sampling(tpoSampling()).build().optimizer(answer);

    ParameterProposal p = optimizer.propose(3).forParameter(answer);

    assertThat(model.requests()).hasSize(2);
    ChatRequest reformat = model.request(1);
    assertThat(reformat.n()).isEqualTo(1);
    assertThat(reformat.seed()).contains(7L);
    assertThat(reformat.messages().get(1).content())
        .contains("<ANSWER>\nI would write: B, plainly.\n</ANSWER>")
        .contains("between <NEW_VALUE> and </NEW_VALUE>");
    assertThat(p.values()).containsExactly("A", "B, plainly.", "C");
    assertThat(p.candidates().get(1).reformatted()).isTrue();
    assertThat(p.candidates().get(1).rawText()).isEqualTo("I would write: B, plainly.");
    assertThat(recorder.calls()).extracting(CallRecord::phase)
        .containsExactly(Phase.UPDATE, Phase.UPDATE);
    assertThat(recorder.calls().get(1).n()).isEqualTo(1);
  }

  @Test
  void choiceStillUnparsableAfterReformatIsDroppedAndReported() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer(wrap("A"), "no tags here", "")
        .thenAnswer("still no tags");
    Variable answer = answerWithTwoGradients("start");
    TgdOptimizer optimizer = TextualGradientDescent.builder(TextGradEngine.of(model)).build()
        .optimizer(answer);

    ParameterProposal p = optimizer.propose(3).forParameter(answer);

    // One reformat for the untagged choice; none for the empty one.
    assertThat(model.requests()).hasSize(2);
    assertThat(p.values()).containsExactly("A");
    assertThat(p.dropped()).hasSize(2);
    DroppedChoice untagged = p.dropped().get(0);
    assertThat(untagged.choiceIndex()).isEqualTo(1);
    assertThat(untagged.rawText()).isEqualTo("no tags here");
    assertThat(untagged.reformatText()).isEqualTo("still no tags");
    assertThat(untagged.reason()).contains("<NEW_VALUE>");
    assertThat(p.dropped().get(1).choiceIndex()).isEqualTo(2);
    assertThat(p.dropped().get(1).reason()).contains("empty");
  }

  @Test
  void garbageInEveryChoiceGivesClearExceptionWithRawText() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("garbage one", "garbage two")
        .thenAnswer("reformat garbage one")
        .thenAnswer("reformat garbage two");
    Variable answer = answerWithTwoGradients("start");
    CallRecorder recorder = new CallRecorder();
    TgdOptimizer optimizer = TextualGradientDescent.builder(
        TextGradEngine.of(model.withInterceptors(recorder))).build().optimizer(answer);

    assertThatThrownBy(() -> optimizer.propose(2))
        .isInstanceOfSatisfying(NoCandidateException.class, e -> {
          assertThat(e).isInstanceOf(MalformedResponseException.class);
          assertThat(e.dropped()).extracting(DroppedChoice::rawText)
              .containsExactly("garbage one", "garbage two");
          assertThat(e.isRetryable()).isFalse();
          assertThat(e.getMessage()).contains(answer.describe()).contains("<NEW_VALUE>")
              .contains("rawText()");
          assertThat(e.rawText()).contains("garbage one").contains("garbage two")
              .contains("reformat garbage one").contains("reformat garbage two");
        });
    assertThat(model.requests()).hasSize(3);
    assertThat(answer.value()).isEqualTo("start");
    // Nothing already done is lost: a recorder on the model kept the calls and their usage.
    assertThat(recorder.usage().requests()).isEqualTo(3);
  }

  @Test
  void variableThatContainsTheTagTextDoesNotBreakParsing() {
    String tricky = "Wrap the value in <NEW_VALUE> and </NEW_VALUE>, like <NEW_VALUE>x</NEW_VALUE>.";
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("<NEW_VALUE>\n" + tricky + " Always.\n</NEW_VALUE>");
    Variable answer = answerWithTwoGradients(tricky);
    TgdOptimizer optimizer = TextualGradientDescent.builder(TextGradEngine.of(model)).build()
        .optimizer(answer);

    optimizer.step();

    assertThat(answer.value()).isEqualTo(tricky + " Always.");
    assertThat(model.request(0).messages().get(1).content())
        .contains("<CURRENT_VALUE>\n" + tricky + "\n</CURRENT_VALUE>");
  }

  @Test
  void preambleThatMentionsTheTagsDoesNotLeakIntoTheValue() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("I put it between <NEW_VALUE> and </NEW_VALUE> as asked.\n"
            + "<NEW_VALUE>\nclean value\n</NEW_VALUE>");
    Variable answer = answerWithTwoGradients("plain old value");
    TextualGradientDescent.builder(TextGradEngine.of(model)).build().optimizer(answer).step();
    assertThat(answer.value()).isEqualTo("clean value");
  }

  @Test
  void choiceCutOffAfterStartTagIsKeptAndFlagged() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswerTruncated("<NEW_VALUE>\nA long answer that was cut off</NEW_VA");
    Variable answer = answerWithTwoGradients("start");
    TgdOptimizer optimizer = TextualGradientDescent.builder(TextGradEngine.of(model)).build()
        .optimizer(answer);

    Candidate c = optimizer.propose(1).candidates().get(0);

    assertThat(c.value()).isEqualTo("A long answer that was cut off");
    assertThat(c.complete()).isFalse();
    assertThat(c.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(model.requests()).hasSize(1);
  }

  @Test
  void customTagsAreUsedInPromptAndParsing() {
    ScriptedLanguageModel model = new ScriptedLanguageModel().thenAnswer("<ANS>new</ANS>");
    Variable answer = answerWithTwoGradients("start");
    TgdOptimizer optimizer = TextualGradientDescent.builder(TextGradEngine.of(model))
        .tags(new ValueTags("<ANS>", "</ANS>")).build().optimizer(answer);
    optimizer.step();
    assertThat(answer.value()).isEqualTo("new");
    assertThat(model.request(0).messages()).allSatisfy(m ->
        assertThat(m.content()).contains("<ANS>").doesNotContain("NEW_VALUE"));
  }

  @Test
  void proposeRefusesAParameterWithoutGradient() {
    ScriptedLanguageModel model = new ScriptedLanguageModel();
    Variable bare = Variable.parameter("x", "a text");
    TgdOptimizer optimizer = TextualGradientDescent.builder(TextGradEngine.of(model)).build()
        .optimizer(bare);
    assertThatThrownBy(() -> optimizer.propose(2)).isInstanceOf(AutogradException.class)
        .hasMessageContaining(bare.describe());
    assertThat(model.requests()).isEmpty();
  }

  @Test
  void longContextsAreShortenedWithinBudgetButTheValueNever() {
    String hugeValue = "V".repeat(40_000);
    Variable answer = Variable.parameter(hugeValue, "a long report");
    answer.addGradient(new TextualGradient(answer.id(), "fix section 2", "llm-call", "o",
        new GradientContext("S".repeat(40_000), "I".repeat(40_000), "O".repeat(40_000))));
    ScriptedLanguageModel model = new ScriptedLanguageModel().thenAnswer(wrap("short"));
    TextGradEngine engine = TextGradEngine.builder().forwardModel(model)
        .contextBudgetTokens(3000).build();
    TextualGradientDescent.builder(engine).build().optimizer(answer).step();

    String user = model.request(0).messages().get(1).content();
    assertThat(user).contains(hugeValue).contains("fix section 2")
        .contains(ContextBudget.MARKER);
    int contextChars = user.length() - hugeValue.length();
    assertThat(contextChars).isLessThan(3000 * 4 + 2000);
  }

  @Test
  void eachParameterGetsItsOwnRequest() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer(wrap("new a"), wrap("new a2"))
        .thenAnswer(wrap("new b"), wrap("new b2"));
    Variable a = answerWithTwoGradients("a");
    Variable b = answerWithTwoGradients("b");
    TgdOptimizer optimizer = TextualGradientDescent.builder(TextGradEngine.of(model)).build()
        .optimizer(a, b);
    Proposal proposal = optimizer.propose(2);
    assertThat(model.requests()).hasSize(2);
    assertThat(proposal.forParameter(a).values()).containsExactly("new a", "new a2");
    assertThat(proposal.forParameter(b).values()).containsExactly("new b", "new b2");
    optimizer.acceptFirst(proposal);
    assertThat(a.value()).isEqualTo("new a");
    assertThat(b.value()).isEqualTo("new b");
  }
}
