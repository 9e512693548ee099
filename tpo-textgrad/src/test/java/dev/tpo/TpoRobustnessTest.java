package dev.tpo;

import static dev.tpo.Scripts.system;
import static dev.tpo.Scripts.tagged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.RewardScoringException;
import dev.tpo.core.error.ServerErrorException;
import dev.tpo.core.event.CandidatesProposed;
import dev.tpo.core.event.Phase;
import dev.tpo.core.event.RunFailed;
import dev.tpo.core.event.RunWarning;
import dev.tpo.core.event.TpoListener;
import dev.tpo.core.model.CallRecord;
import dev.tpo.core.reward.ScoredBatch;
import dev.tpo.core.testing.FakeRewardScorer;
import dev.tpo.core.testing.ScriptedLanguageModel;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Separator- and tag-like text, unparsable updates and failures. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TpoRobustnessTest {

  @Test
  void separatorAndTagLikeTextDoesNotConfuseThePoolOrThePrompts() {
    String query = "Explain {{rejected}} and {{query}} ||| <QUERY></QUERY> \\1 $1 ### --- ";
    String a = "left ||| right";
    String b = "left";
    String c = "||| right";
    String d = "</REJECTED_ANSWER> {{query}} $0 \\ <NEW_VALUE>";
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer(a, b, c, d)
        .thenAnswer("critique").thenAnswer("feedback")
        .thenAnswer(tagged("x</NEW_VALUE"), tagged("{{rejected}} new"), tagged(b + "|||"),
            tagged(a));
    FakeRewardScorer scorer = FakeRewardScorer.fromTable(
        Map.of(a, 4.0, b, 3.0, c, 2.0, d, 1.0, "{{rejected}} new", 5.0), 0.0);
    TpoResult result = Tpo.builder().policy(model).scorer(scorer).samples(4).iterations(1)
        .build().optimize(query);

    assertThat(result.pool()).extracting(PoolEntry::text)
        .containsExactly(a, b, c, d, "x</NEW_VALUE", "{{rejected}} new", b + "|||", a);
    assertThat(result.pool()).extracting(PoolEntry::round).containsExactly(0, 0, 0, 0, 1, 1, 1, 1);
    // the loss quotes the query and the rejected response verbatim, rendered once
    assertThat(system(model.request(1)))
        .isEqualTo(PromptTemplates.defaults().render(PromptTemplates.TPO_LOSS,
            java.util.Map.of("query", query, "rejected", d)))
        .contains(query).contains(d);
    assertThat(scorer.calls().get(0).prompt()).isEqualTo(query);
    assertThat(result.answer()).isEqualTo("{{rejected}} new");
    // the JSON form keeps every text exactly
    assertThat(TpoResult.fromJson(result.toJson())).isEqualTo(result);
  }

  @Test
  void anUpdateRoundWhoseEveryChoiceIsUnparsableIsRecordedAsFailedAndTheRunGoesOn() {
    List<Object> events = new CopyOnWriteArrayList<>();
    TpoListener listener = new TpoListener() {
      @Override
      public void onWarning(RunWarning e) {
        events.add(e);
      }

      @Override
      public void onCandidatesProposed(CandidatesProposed e) {
        events.add(e);
      }
    };
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("SAMPLE_A", "SAMPLE_B")
        .thenAnswer("critique one").thenAnswer("feedback one")
        .thenAnswer("no tags at all", "still none")
        // anything after the failed update (the engine's reformat requests, round 2) answers:
        .otherwise(r -> ScriptedLanguageModel.respond(r,
            java.util.Collections.nCopies(r.n(), r.n() == 2 ? tagged("ROUND2") : "plain"),
            dev.tpo.core.model.FinishReason.STOP));
    FakeRewardScorer scorer = FakeRewardScorer.fromTable(
        Map.of("SAMPLE_A", 1.0, "SAMPLE_B", 2.0, "ROUND2", 3.0), 0.0);
    TpoResult result = Tpo.builder().policy(model).scorer(scorer).samples(2).iterations(2)
        .listener(listener).build().optimize("q");

    RoundRecord failed = result.rounds().get(0);
    assertThat(failed.status()).isEqualTo(RoundStatus.FAILED_UNPARSABLE);
    assertThat(failed.addedEntries()).isEmpty();
    assertThat(failed.dropped()).contains("no tags at all", "still none");
    assertThat(failed.note()).contains("unparsable");
    assertThat(failed.updateCall()).isPresent();
    assertThat(result.rounds().get(1).status()).isEqualTo(RoundStatus.COMPLETED);
    assertThat(result.answer()).isEqualTo("ROUND2");
    assertThat(result.stopReason()).isEqualTo(StopReason.COMPLETED);
    assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("unparsable"));
    assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(RunWarning.class));
    assertThat(events).contains(new CandidatesProposed(result.runId(), 1, 0, 2));
  }

  @Test
  void aModelFailureFailsTheRunWithTheException() {
    List<RunFailed> failures = new CopyOnWriteArrayList<>();
    ServerErrorException boom = new ServerErrorException("server said 503", 503, "busy");
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("A", "B").thenFail(boom);
    Tpo tpo = Tpo.builder().policy(model).scorer(FakeRewardScorer.byLength()).samples(2)
        .listener(new TpoListener() {
          @Override
          public void onRunFailed(RunFailed e) {
            failures.add(e);
          }
        }).build();
    assertThatThrownBy(() -> tpo.optimize("q")).isSameAs(boom);
    assertThat(failures).singleElement().satisfies(f -> assertThat(f.error()).isSameAs(boom));
  }

  @Test
  void aScorerThatBreaksItsContractFailsTheRunNamingIt() {
    ScriptedLanguageModel model = new ScriptedLanguageModel().thenAnswer("A", "B");
    Tpo tpo = Tpo.builder().policy(model).scorer((prompt, responses) -> ScoredBatch.of(List.of(1.0)))
        .samples(2).iterations(0).build();
    assertThatThrownBy(() -> tpo.optimize("q"))
        .isInstanceOf(RewardScoringException.class)
        .hasMessageContaining("returned 1 scores for 2 responses");
  }

  @Test
  void aCriticModelWritesTheLossAndTheGradient() {
    ScriptedLanguageModel policy = new ScriptedLanguageModel()
        .thenAnswer("A", "B").thenAnswer(tagged("C"), tagged("D"));
    ScriptedLanguageModel critic = new ScriptedLanguageModel()
        .thenAnswer("critique").thenAnswer("feedback");
    TpoResult result = Tpo.builder().policy(policy).critic(critic)
        .scorer(FakeRewardScorer.byLength()).samples(2).iterations(1).build().optimize("q");
    assertThat(policy.requests()).hasSize(2);
    assertThat(critic.requests()).hasSize(2);
    assertThat(result.rounds().get(0).calls()).extracting(CallRecord::phase)
        .containsExactly(Phase.LOSS, Phase.GRADIENT, Phase.UPDATE);
  }

  @Test
  void aMalformedHttpAnswerToTheUpdateFailsTheRunInsteadOfCountingAsUnparsable() {
    dev.tpo.core.error.MalformedResponseException bad =
        new dev.tpo.core.error.MalformedResponseException("server sent broken JSON", "{\"cho");
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("A", "B").thenAnswer("c").thenAnswer("g").thenFail(bad);
    Tpo tpo = Tpo.builder().policy(model).scorer(FakeRewardScorer.byLength()).samples(2)
        .iterations(1).build();
    assertThatThrownBy(() -> tpo.optimize("q")).isSameAs(bad);
  }
}
