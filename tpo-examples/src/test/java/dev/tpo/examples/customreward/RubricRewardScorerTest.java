package dev.tpo.examples.customreward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.TpoResult;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.testing.RewardScorerContractTest;
import dev.tpo.core.testing.ScriptedLanguageModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class RubricRewardScorerTest extends RewardScorerContractTest {

  @Override
  protected RewardScorer createScorer() {
    return new RubricRewardScorer(List.of("scatter", "wavelength"), 20);
  }

  @Test
  void countsKeywordsAndPenalisesLength() {
    RubricRewardScorer s = new RubricRewardScorer(List.of("bcrypt", "salt"), 10);
    List<Double> scores = s.score("q", List.of(
        "Use bcrypt with a salt.",
        "Use BCRYPT.",
        "Use bcrypt with a salt " + "and more words ".repeat(10)));
    assertThat(scores.get(0)).isEqualTo(2.0);
    assertThat(scores.get(1)).isEqualTo(1.0);
    assertThat(scores.get(2)).isLessThan(2.0).isGreaterThan(1.0);
  }

  @Test
  void tpoKeepsTheAnswerTheRubricPrefers() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("Store them in a database.", "Hash them.", "Encrypt them.", "Use MD5.")
        .thenAnswer("The chosen answer lacks a named algorithm.")
        .thenAnswer("Name a slow, salted hash such as bcrypt or argon2.")
        .thenAnswer("<NEW_VALUE>Hash with bcrypt or argon2 and a per-user salt; never plain"
            + " text.</NEW_VALUE>", "<NEW_VALUE>Hash them.</NEW_VALUE>",
            "<NEW_VALUE>Use argon2.</NEW_VALUE>", "<NEW_VALUE>Use a salt.</NEW_VALUE>")
        .otherwise(req -> ScriptedLanguageModel.respond(req,
            java.util.Collections.nCopies(req.n(), "<NEW_VALUE>Hash them.</NEW_VALUE>"),
            dev.tpo.core.model.FinishReason.STOP));
    TpoResult r = CustomRewardExample.run(model, CustomRewardExample.PROMPT);
    assertThat(r.answer()).startsWith("Hash with bcrypt or argon2");
    assertThat(r.bestScore()).isEqualTo(4.0);
    assertThat(r.best().round()).isEqualTo(1);
  }
}
