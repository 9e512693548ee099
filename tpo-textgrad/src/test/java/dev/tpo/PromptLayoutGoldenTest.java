package dev.tpo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.core.call.CallRecord;
import dev.tpo.core.call.CallTag;
import dev.tpo.core.event.Phase;
import dev.tpo.core.model.ChatMessage;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatRole;
import dev.tpo.core.testing.FakeRewardScorer;
import dev.tpo.core.testing.ScriptedLanguageModel;
import dev.tpo.textgrad.prompt.GoldenTemplatesTest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Both prompt layouts: the loss, gradient and update requests of one round for a fixed prompt,
 * rendered and compared with golden files ({@code src/test/resources/dev/tpo/textgrad/golden/
 * round-reference.txt} and {@code round-prefix-shared.txt}; rewrite them with {@code
 * -Dgolden.update=true} and review the diff), the shared layout's common prefix, the call pattern
 * and the reference's instructions kept.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PromptLayoutGoldenTest {
  private static final String QUERY = "How do I keep basil alive indoors?";

  private static FakeRewardScorer scorer() {
    return FakeRewardScorer.fromTable(Map.of(
        "Water it daily and keep it in a dark corner.", 1.0,
        "Give it six hours of sun, water when the top soil is dry, and pinch the flowers.", 8.0,
        "Basil likes warmth.", 4.0), 5.0);
  }

  private static ScriptedLanguageModel oneRound() {
    return new ScriptedLanguageModel()
        .thenAnswer("Water it daily and keep it in a dark corner.",
            "Give it six hours of sun, water when the top soil is dry, and pinch the flowers.",
            "Basil likes warmth.")
        .thenAnswer("The chosen answer covers light, water and pruning; the rejected one gives"
            + " harmful advice.")
        .thenAnswer("- Say how warm the room should be.\n- Mention drainage.")
        .thenAnswer(Scripts.tagged("A"), Scripts.tagged("B"), Scripts.tagged("C"));
  }

  private static List<ChatRequest> roundRequests(PromptLayout layout) {
    ScriptedLanguageModel model = oneRound();
    TpoResult result = Tpo.builder().policy(model).scorer(scorer()).samples(3).iterations(1)
        .promptLayout(layout).build().optimize(QUERY);
    assertThat(result.rounds()).hasSize(1);
    assertThat(result.rounds().get(0).calls()).extracting(CallRecord::phase)
        .containsExactly(Phase.LOSS, Phase.GRADIENT, Phase.UPDATE);
    assertThat(result.pool()).extracting(PoolEntry::text).contains("A", "B", "C");
    assertThat(result.settings().promptLayout()).isEqualTo(layout);
    return model.requests().subList(1, 4);
  }

  private static String render(List<ChatRequest> requests) {
    StringBuilder out = new StringBuilder();
    for (ChatRequest r : requests) {
      CallTag tag = r.tag(CallTag.class).orElseThrow();
      out.append("### ").append(tag.phase()).append(" (round ").append(tag.round())
          .append(", n=").append(r.n()).append(")\n");
      for (ChatMessage m : r.messages()) {
        out.append("--- ").append(m.role()).append('\n').append(m.content()).append('\n');
      }
    }
    return out.toString().stripTrailing();
  }

  @Test
  void referenceLayoutRoundEqualsGoldenFile() throws IOException {
    GoldenTemplatesTest.assertGolden("round-reference", render(roundRequests(PromptLayout.REFERENCE)));
  }

  @Test
  void prefixSharedLayoutRoundEqualsGoldenFile() throws IOException {
    GoldenTemplatesTest.assertGolden("round-prefix-shared",
        render(roundRequests(PromptLayout.PREFIX_SHARED)));
  }

  @Test
  void sharedRequestsStartWithTheSameBlockAndNest() {
    List<ChatRequest> rs = roundRequests(PromptLayout.PREFIX_SHARED);
    ChatRequest loss = rs.get(0);
    ChatRequest gradient = rs.get(1);
    ChatRequest update = rs.get(2);
    for (ChatRequest r : rs) {
      assertThat(r.messages()).extracting(ChatMessage::role)
          .containsExactly(ChatRole.SYSTEM, ChatRole.USER);
      assertThat(r.messages().get(0).content()).isEqualTo(loss.messages().get(0).content());
    }
    String block = user(loss).substring(0, user(loss).indexOf("<EVALUATION_TASK>"));
    // the block holds the query, then the rejected, then the chosen answer
    int q = block.indexOf(QUERY);
    int rej = block.indexOf("Water it daily and keep it in a dark corner.");
    int cho = block.indexOf("Give it six hours of sun");
    assertThat(q).isNotNegative().isLessThan(rej);
    assertThat(rej).isLessThan(cho);
    // the gradient request extends the loss request; the update shares it up to the evaluation
    assertThat(user(gradient)).startsWith(user(loss));
    String upToEvaluation = user(gradient).substring(0, user(gradient).indexOf("</EVALUATION>"));
    assertThat(user(update)).startsWith(upToEvaluation);
    assertThat(user(update)).contains("- Say how warm the room should be.");
    // only the update request names the value tags (servers and the simulator tell it by them)
    assertThat(allText(loss) + allText(gradient)).doesNotContain("<NEW_VALUE>");
    assertThat(user(update)).contains("between <NEW_VALUE> and </NEW_VALUE>");
  }

  @Test
  void sharedLayoutKeepsEveryInstructionOfTheReference() {
    String shared = roundRequests(PromptLayout.PREFIX_SHARED).stream()
        .map(PromptLayoutGoldenTest::allText).collect(Collectors.joining("\n"));
    for (String instruction : List.of(
        // the TPO loss
        "Compare the chosen answer with the rejected answer.",
        "list the strengths and the weaknesses of each, then explain what makes the chosen answer"
            + " better and what makes the rejected answer worse.",
        "Be brief and specific.",
        "Do not answer the query yourself and do not write a new answer.",
        // the gradient (backward-system, objective)
        "Critique only. Never write a new or revised version of the variable, not even in part.",
        "Speak about this variable only, and refer to it by its role.",
        "Be specific and concise: a short list of points, the most important first.",
        "If the variable already serves the objective well, say so in one sentence and suggest"
            + " nothing.",
        "Explain how the variable should change so that the evaluation would be more favourable.",
        "Reply with your critique of this variable only.",
        // the update (tgd-system, tgd-update, the mode's constraints)
        "Act on the feedback and keep what already works.",
        "Follow every constraint you are given.",
        "Write the complete new value, ready to use as it is: no notes about what you changed, no"
            + " placeholders, no omissions.",
        "write nothing after",
        "1. Write only the improved response to the query itself.",
        "2. Do not write the rejected response, a comparison or any commentary.",
        "Write an improved value of the variable that acts on the feedback. Give the complete new"
            + " value between <NEW_VALUE> and </NEW_VALUE>",
        TpoMode.TPO.responseRole())) {
      assertThat(shared).as("the shared layout keeps: %s", instruction).contains(instruction);
    }
  }

  @Test
  void bothLayoutsSendOnePlusThreeDRequestsWithNWhereTheReferenceDoes() {
    for (PromptLayout layout : PromptLayout.values()) {
      ScriptedLanguageModel model = new ScriptedLanguageModel()
          .otherwise(r -> ScriptedLanguageModel.respond(r,
              java.util.Collections.nCopies(r.n(), r.n() > 1 && allText(r).contains("<NEW_VALUE>")
                  ? Scripts.tagged("rewrite " + r.tag(CallTag.class).orElseThrow().round())
                  : "text of " + r.tag(CallTag.class).orElseThrow()),
              dev.tpo.core.model.FinishReason.STOP));
      TpoResult result = Tpo.builder().policy(model).scorer(FakeRewardScorer.byLength())
          .iterations(2).promptLayout(layout).build().optimize(QUERY);
      List<ChatRequest> rs = model.requests();
      assertThat(rs).as("%s", layout).hasSize(1 + 3 * 2);
      assertThat(rs).extracting(ChatRequest::n).as("%s", layout)
          .containsExactly(5, 1, 1, 5, 1, 1, 5);
      assertThat(result.rounds()).allSatisfy(
          r -> assertThat(r.status()).isEqualTo(RoundStatus.COMPLETED));
    }
  }

  @Test
  void revisionModeSharesABlockWithoutARejectedAnswer() {
    ScriptedLanguageModel model = oneRound();
    Tpo.builder().policy(model).scorer(scorer()).samples(3).iterations(1).mode(TpoMode.REVISION)
        .promptLayout(PromptLayout.PREFIX_SHARED).build().optimize(QUERY);
    List<ChatRequest> rs = model.requests().subList(1, 4);
    assertThat(user(rs.get(0))).doesNotContain("<REJECTED_ANSWER>")
        .contains("Give it six hours of sun")
        .contains("say what would make it more helpful, accurate and complete");
    assertThat(user(rs.get(1))).startsWith(user(rs.get(0)));
    assertThat(user(rs.get(2))).contains("1. Write only the improved model response");
  }

  @Test
  void layoutNamesParse() {
    assertThat(PromptLayout.of("prefix-shared")).isEqualTo(PromptLayout.PREFIX_SHARED);
    assertThat(PromptLayout.of("Reference")).isEqualTo(PromptLayout.REFERENCE);
    assertThat(TpoSettings.DEFAULTS.promptLayout()).isEqualTo(PromptLayout.REFERENCE);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PromptLayout.of("flat"))
        .isInstanceOf(dev.tpo.core.error.ConfigurationException.class)
        .hasMessageContaining("prefix-shared");
  }

  private static String user(ChatRequest r) {
    return r.messages().get(r.messages().size() - 1).content();
  }

  private static String allText(ChatRequest r) {
    return r.messages().stream().map(ChatMessage::content).collect(Collectors.joining("\n"));
  }
}
