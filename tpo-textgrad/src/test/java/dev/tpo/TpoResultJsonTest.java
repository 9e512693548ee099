package dev.tpo;

import static dev.tpo.Scripts.tagged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.MalformedResponseException;
import dev.tpo.core.event.Phase;
import dev.tpo.core.testing.FakeRewardScorer;
import dev.tpo.core.testing.ScriptedLanguageModel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TpoResultJsonTest {

  private static TpoResult aResult() {
    ScriptedLanguageModel model = new ScriptedLanguageModel()
        .thenAnswer("first \"quoted\" answer\n", "second answer with unicode \u00e9\u4e2d\ud83d\ude00")
        .thenAnswer("critique").thenAnswer("feedback")
        .thenAnswer(tagged("third"), "unparsable")
        .otherwise(r -> ScriptedLanguageModel.respond(r, java.util.List.of("still unparsable"),
            dev.tpo.core.model.FinishReason.STOP));
    return Tpo.builder().policy(model).scorer(FakeRewardScorer.byLength()).samples(2)
        .iterations(1).tokenBudget(1_000_000).timeLimit(Duration.ofMinutes(5)).build()
        .optimize(TpoRequest.builder("a query").id("job-7").build());
  }

  @Test
  void jsonWrittenAndReadBackEqualsTheOriginal() {
    TpoResult result = aResult();
    String json = result.toJson();
    TpoResult back = TpoResult.fromJson(json);

    assertThat(back).isEqualTo(result);
    assertThat(back.toJson()).isEqualTo(json);
    assertThat(TpoResult.fromJson(result.toPrettyJson())).isEqualTo(result);
    assertThat(back.rounds().get(0).dropped()).isNotEmpty();
    assertThat(back.phase(Phase.UPDATE)).isEqualTo(result.phase(Phase.UPDATE));
    assertThat(back.runId()).isEqualTo("job-7");
    assertThat(json).contains("\"answer\"").contains("\"pool\"").contains("\"rounds\"")
        .contains("\"phases\"").contains("\"SAMPLING\"");
    // one shape, snake_case, the names tpo run's result lines use
    assertThat(json).startsWith("{\"id\":\"job-7\"").contains("\"score\":")
        .contains("\"elapsed_ms\":").contains("\"usage\":{\"prompt_tokens\":")
        .contains("\"top_p\":").contains("\"stop_reason\":\"COMPLETED\"")
        .doesNotContain("runId").doesNotContain("bestScore").doesNotContain("elapsedMillis");
  }

  @Test
  void textThatIsNotAResultIsRejectedWithItsRawText() {
    assertThatThrownBy(() -> TpoResult.fromJson("{\"runId\": 3"))
        .isInstanceOf(MalformedResponseException.class)
        .hasMessageContaining("TpoResult")
        .satisfies(e -> assertThat(((MalformedResponseException) e).rawText())
            .isEqualTo("{\"runId\": 3"));
  }
}
