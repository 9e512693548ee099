package dev.tpo.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.Tpo;
import dev.tpo.TpoResult;
import dev.tpo.core.testing.FakeRewardScorer;
import dev.tpo.core.testing.ScriptedLanguageModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuickstartTest {

  @Test
  void printsTheAnswerTheScoreProgressAndThePhaseCosts() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("short", "a bit longer")
        .thenAnswer("critique").thenAnswer("feedback")
        .thenAnswer("<NEW_VALUE>the longest answer here</NEW_VALUE>", "<NEW_VALUE>x</NEW_VALUE>");
    TpoResult result = Tpo.builder().policy(model).scorer(FakeRewardScorer.byLength())
        .samples(2).iterations(1).build().optimize("q");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Quickstart.print(result, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out).startsWith("the longest answer here\n");
    assertThat(out).contains("score 23.000 (round 1 of 1, TPO, stopped: COMPLETED)");
    assertThat(out).contains("best after round 0: 12.000").contains("best after round 1: 23.000");
    assertThat(out).contains("SAMPLING").contains("UPDATE").contains("total");
  }
}
