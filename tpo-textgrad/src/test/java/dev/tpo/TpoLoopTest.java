package dev.tpo;

import static dev.tpo.Scripts.allText;
import static dev.tpo.Scripts.system;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.core.event.Phase;
import dev.tpo.core.model.CallRecord;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.testing.FakeRewardScorer;
import dev.tpo.core.testing.ScriptedLanguageModel;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop for one prompt, against the scripted model and the fake scorer (no network). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TpoLoopTest {

  /** Scores: samples 5,3,9,1,4; round 1: 6,0.5,7,2,8; round 2: 10,2,3,4,5. */
  private static FakeRewardScorer scorer() {
    Map<String, Double> table = new HashMap<>();
    double[] s0 = {5, 3, 9, 1, 4};
    double[] s1 = {6, 0.5, 7, 2, 8};
    double[] s2 = {10, 2, 3, 4, 5};
    for (int i = 0; i < 5; i++) {
      table.put("SAMPLE_" + i, s0[i]);
      table.put("UPDATE1_" + i, s1[i]);
      table.put("UPDATE2_" + i, s2[i]);
    }
    return FakeRewardScorer.fromTable(table, 0.0);
  }

  private static ScriptedLanguageModel twoRounds() {
    return new ScriptedLanguageModel()
        .thenAnswer(plainN("SAMPLE", 5))
        .thenAnswer("critique one")
        .thenAnswer("feedback one")
        .thenAnswer(taggedN("UPDATE1", 5))
        .thenAnswer("critique two")
        .thenAnswer("feedback two")
        .thenAnswer(taggedN("UPDATE2", 5));
  }

  private static String[] plainN(String prefix, int n) {
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = prefix + "_" + i;
    }
    return out;
  }

  private static String[] taggedN(String prefix, int n) {
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = Scripts.tagged(prefix + "_" + i);
    }
    return out;
  }

  @Test
  void sendsSamplingThenLossGradientUpdateTwiceWithTheConfiguredSettings() {
    ScriptedLanguageModel model = twoRounds();
    FakeRewardScorer scorer = scorer();
    TpoResult result = Tpo.builder().policy(model).scorer(scorer).build().optimize("What is TPO?");

    List<ChatRequest> requests = model.requests();
    assertThat(requests).hasSize(7);
    assertThat(result.sampling().phase()).isEqualTo(Phase.SAMPLING);
    assertThat(result.rounds()).hasSize(2);
    for (RoundRecord r : result.rounds()) {
      assertThat(r.status()).isEqualTo(RoundStatus.COMPLETED);
      assertThat(r.calls()).extracting(CallRecord::phase)
          .containsExactly(Phase.LOSS, Phase.GRADIENT, Phase.UPDATE);
    }
    for (int i : new int[] {0, 3, 6}) {
      ChatRequest r = requests.get(i);
      assertThat(r.n()).as("request %d asks for N", i).isEqualTo(5);
      assertThat(r.temperature()).contains(0.7);
      assertThat(r.topP()).contains(0.95);
      assertThat(r.seed()).contains(7L);
      assertThat(r.maxTokens()).contains(2048);
    }
    for (int i : new int[] {1, 2, 4, 5}) {
      assertThat(requests.get(i).n()).as("request %d is n=1", i).isEqualTo(1);
      assertThat(requests.get(i).seed()).as("request %d is seeded", i).contains(7L);
    }
    assertThat(allText(requests.get(0))).contains("What is TPO?");
    assertThat(requests.get(3).messages().toString()).contains("<NEW_VALUE>");
    // one scoring call per round, each with the round's candidates
    assertThat(scorer.calls()).hasSize(3);
    assertThat(scorer.calls()).allSatisfy(c -> assertThat(c.responses()).hasSize(5));
    assertThat(scorer.calls()).allSatisfy(c -> assertThat(c.prompt()).isEqualTo("What is TPO?"));
  }

  @Test
  void rejectedOfRoundTwoIsTheWorstOfTheWholePoolAfterRoundOne() {
    ScriptedLanguageModel model = twoRounds();
    TpoResult result = Tpo.builder().policy(model).scorer(scorer()).build().optimize("q");

    ChatRequest loss1 = model.request(1);
    ChatRequest loss2 = model.request(4);
    assertThat(system(loss1)).contains("SAMPLE_3").doesNotContain("UPDATE1_1");
    assertThat(system(loss2)).contains("UPDATE1_1").doesNotContain("SAMPLE_3");
    // the chosen response (best of the pool, SAMPLE_2 with 9) is the evaluated user message
    assertThat(loss1.messages().get(loss1.messages().size() - 1).content()).isEqualTo("SAMPLE_2");
    assertThat(loss2.messages().get(loss2.messages().size() - 1).content()).isEqualTo("SAMPLE_2");
    assertThat(result.rounds().get(1).rejectedIndex())
        .isEqualTo(indexOf(result, "UPDATE1_1"));
    assertThat(result.rounds().get(1).chosenIndex()).isEqualTo(indexOf(result, "SAMPLE_2"));
  }

  @Test
  void answerIsTheBestOfTheWholePool() {
    TpoResult result = Tpo.builder().policy(twoRounds()).scorer(scorer()).build().optimize("q");

    assertThat(result.pool()).hasSize(15);
    assertThat(result.answer()).isEqualTo("UPDATE2_0");
    assertThat(result.bestScore()).isEqualTo(10.0);
    assertThat(result.best().round()).isEqualTo(2);
    assertThat(result.pool()).extracting(PoolEntry::round)
        .containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2);
    assertThat(result.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(result.rounds().get(0).loss()).isEqualTo("critique one");
    assertThat(result.rounds().get(0).gradient()).contains("feedback one");
  }

  @Test
  void answerStaysTheInitialBestWhenUpdatesScoreWorse() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer(plainN("SAMPLE", 5))
        .thenAnswer("c").thenAnswer("g").thenAnswer(taggedN("WORSE", 5));
    TpoResult result = Tpo.builder().policy(model).scorer(scorer()).iterations(1).build()
        .optimize("q");
    assertThat(result.answer()).isEqualTo("SAMPLE_2");
    assertThat(result.bestIndex()).isEqualTo(2);
  }

  @Test
  void revisionSendsNoRejectedResponse() {
    ScriptedLanguageModel model = twoRounds();
    TpoResult result = Tpo.builder().policy(model).scorer(scorer()).mode(TpoMode.REVISION).build()
        .optimize("q");

    assertThat(model.requests()).hasSize(7);
    assertThat(system(model.request(1))).doesNotContain("SAMPLE_3")
        .isEqualTo(PromptTemplates.defaults().render(PromptTemplates.REVISION_LOSS,
            java.util.Map.of("query", "q")));
    assertThat(system(model.request(4))).doesNotContain("UPDATE1_1");
    assertThat(result.rounds()).allSatisfy(r -> assertThat(r.rejectedIndex()).isNull());
    assertThat(result.mode()).isEqualTo("REVISION");
  }

  @Test
  void bestOfNSendsOneRequest() {
    ScriptedLanguageModel model = new ScriptedLanguageModel().thenAnswer(plainN("SAMPLE", 5));
    FakeRewardScorer scorer = scorer();
    TpoResult result = Tpo.builder().policy(model).scorer(scorer).mode(TpoMode.BEST_OF_N).build()
        .optimize("q");

    assertThat(model.requests()).hasSize(1);
    assertThat(scorer.calls()).hasSize(1);
    assertThat(result.answer()).isEqualTo("SAMPLE_2");
    assertThat(result.rounds()).isEmpty();
    assertThat(result.phases()).containsOnlyKeys(Phase.SAMPLING, Phase.SCORING);
    assertThat(result.settings().iterations()).isZero();
  }

  @Test
  void zeroIterationsIsBestOfN() {
    ScriptedLanguageModel model = new ScriptedLanguageModel().thenAnswer(plainN("SAMPLE", 5));
    TpoResult result = Tpo.builder().policy(model).scorer(scorer()).iterations(0).build()
        .optimize("q");
    assertThat(model.requests()).hasSize(1);
    assertThat(result.answer()).isEqualTo("SAMPLE_2");
  }

  @Test
  void oneSampleWorks() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("SAMPLE_0")
        .thenAnswer("c1").thenAnswer("g1").thenAnswer(Scripts.tagged("UPDATE1_4"))
        .thenAnswer("c2").thenAnswer("g2").thenAnswer(Scripts.tagged("UPDATE2_0"));
    TpoResult result = Tpo.builder().policy(model).scorer(scorer()).samples(1).build()
        .optimize("q");

    assertThat(model.requests()).hasSize(7);
    assertThat(model.requests()).allSatisfy(r -> assertThat(r.n()).isEqualTo(1));
    // with one sample, chosen and rejected are the same entry
    assertThat(result.rounds().get(0).chosenIndex()).isEqualTo(0);
    assertThat(result.rounds().get(0).rejectedIndex()).isEqualTo(0);
    assertThat(result.pool()).extracting(PoolEntry::text)
        .containsExactly("SAMPLE_0", "UPDATE1_4", "UPDATE2_0");
    assertThat(result.answer()).isEqualTo("UPDATE2_0");
  }

  @Test
  void identicalTextsWithinARoundAreKeptOnceButAgainInALaterRound() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("SAMPLE_0", "SAMPLE_0", "SAMPLE_2")
        .thenAnswer("c").thenAnswer("g")
        .thenAnswer(Scripts.tagged("SAMPLE_2"), Scripts.tagged("SAMPLE_2"),
            Scripts.tagged("UPDATE1_0"));
    FakeRewardScorer scorer = scorer();
    TpoResult result = Tpo.builder().policy(model).scorer(scorer).samples(3).iterations(1)
        .build().optimize("q");

    assertThat(result.pool()).extracting(PoolEntry::text)
        .containsExactly("SAMPLE_0", "SAMPLE_2", "SAMPLE_2", "UPDATE1_0");
    assertThat(result.pool()).extracting(PoolEntry::round).containsExactly(0, 0, 1, 1);
    assertThat(scorer.calls().get(0).responses()).containsExactly("SAMPLE_0", "SAMPLE_2");
    // tie between the two SAMPLE_2 entries: the earliest wins
    assertThat(result.bestIndex()).isEqualTo(1);
  }

  @Test
  void systemPromptAndHistoryReachTheSamplingRequestOnly() {
    ScriptedLanguageModel model = new ScriptedLanguageModel().thenAnswer("A", "B")
        .thenAnswer("c").thenAnswer("g").thenAnswer(Scripts.tagged("C"), Scripts.tagged("D"));
    TpoRequest request = TpoRequest.builder("and in French?")
        .systemPrompt("You answer in one line.")
        .history(List.of(dev.tpo.core.model.ChatMessage.user("Say hello"),
            dev.tpo.core.model.ChatMessage.assistant("Hello")))
        .samples(2).iterations(1).build();
    Tpo.builder().policy(model).scorer(FakeRewardScorer.byLength()).build().optimize(request);

    assertThat(model.request(0).messages()).containsExactly(
        dev.tpo.core.model.ChatMessage.system("You answer in one line."),
        dev.tpo.core.model.ChatMessage.user("Say hello"),
        dev.tpo.core.model.ChatMessage.assistant("Hello"),
        dev.tpo.core.model.ChatMessage.user("and in French?"));
    assertThat(allText(model.request(1))).doesNotContain("Say hello");
    assertThat(system(model.request(1))).contains("and in French?");
  }

  @Test
  void aNewModeNeedsNoChangeToCallers() {
    TpoMode strict = new TpoMode() {
      @Override
      public String name() {
        return "STRICT";
      }

      @Override
      public boolean refines() {
        return true;
      }

      @Override
      public boolean usesRejected() {
        return true;
      }

      @Override
      public String responseRole() {
        return "a strictly factual answer";
      }

      @Override
      public List<String> constraints() {
        return List.of("State only verified facts.");
      }

      @Override
      public String lossInstruction(PromptTemplates prompts, String query, String rejected) {
        return "Judge strictly. Query: " + query + " Worst: " + rejected;
      }
    };
    ScriptedLanguageModel model = new ScriptedLanguageModel().thenAnswer("A", "BB")
        .thenAnswer("c").thenAnswer("g").thenAnswer(Scripts.tagged("CCC"), Scripts.tagged("D"));
    TpoResult result = Tpo.builder().policy(model).scorer(FakeRewardScorer.byLength())
        .samples(2).iterations(1).build()
        .optimize(TpoRequest.builder("q").mode(strict).build());

    assertThat(system(model.request(1))).isEqualTo("Judge strictly. Query: q Worst: A");
    assertThat(allText(model.request(3))).contains("State only verified facts.")
        .contains("a strictly factual answer");
    assertThat(result.mode()).isEqualTo("STRICT");
    assertThat(result.answer()).isEqualTo("CCC");
  }

  @Test
  void everyPromptCanBeReplacedByNameAndIsCheckedAtBuild() {
    ScriptedLanguageModel model = new ScriptedLanguageModel().thenAnswer("A", "BB")
        .thenAnswer("c").thenAnswer("g").thenAnswer(Scripts.tagged("C"), Scripts.tagged("D"));
    String system = "Rewrite the variable. Put it between <NEW_VALUE> and </NEW_VALUE>.";
    Tpo.builder().policy(model).scorer(FakeRewardScorer.byLength()).samples(2).iterations(1)
        .prompt(PromptTemplates.TGD_SYSTEM, system).prompt(PromptTemplates.SAMPLING_SYSTEM, "Be brief.")
        .build()
        .optimize("q");
    assertThat(system(model.request(3))).isEqualTo(system);
    assertThat(system(model.request(0))).isEqualTo("Be brief.");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tpo.builder().policy(model)
            .scorer(FakeRewardScorer.byLength()).prompt("no-such-template", "x").build())
        .isInstanceOf(dev.tpo.core.error.ConfigurationException.class)
        .hasMessageContaining("no-such-template");
  }

  @Test
  void chosenAndRejectedAreCutToTheBudgetWhileThePoolKeepsTheFullTexts() {
    String longBest = "B".repeat(400);
    String longWorst = "w".repeat(300);
    ScriptedLanguageModel model = new ScriptedLanguageModel().thenAnswer(longBest, longWorst)
        .thenAnswer("c").thenAnswer("g").thenAnswer(Scripts.tagged("x"), Scripts.tagged("y"));
    FakeRewardScorer scorer = FakeRewardScorer.scoring((p, r) -> r.startsWith("B") ? 2.0 : 1.0);
    TpoResult result = Tpo.builder().policy(model).scorer(scorer).samples(2).iterations(1)
        .responseTruncationTokens(10).build().optimize("q");

    String loss = system(model.request(1));
    assertThat(loss).contains("w".repeat(40)).doesNotContain("w".repeat(41));
    assertThat(model.request(1).messages().get(1).content()).isEqualTo("B".repeat(40));
    assertThat(result.pool().get(0).text()).isEqualTo(longBest);
    assertThat(result.answer()).isEqualTo(longBest);
  }

  @Test
  void aLongCritiqueIsShortenedInTheUpdatePromptSoTheAnswerStillFits() {
    String critique = "too long. ".repeat(4000);
    ScriptedLanguageModel model = new ScriptedLanguageModel().thenAnswer("A", "BB")
        .thenAnswer(critique).thenAnswer("g").thenAnswer(Scripts.tagged("C"), Scripts.tagged("D"));
    TpoResult result = Tpo.builder().policy(model).scorer(FakeRewardScorer.byLength())
        .samples(2).iterations(1).build().optimize("q");

    ChatRequest update = model.request(3);
    assertThat(allText(update)).contains("shortened").doesNotContain(critique);
    assertThat(update.maxTokens()).contains(2048);
    assertThat(result.rounds().get(0).loss()).isEqualTo(critique);
  }

  static int indexOf(TpoResult result, String text) {
    return result.pool().stream().filter(e -> e.text().equals(text)).findFirst()
        .orElseThrow().index();
  }
}
