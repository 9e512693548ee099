package dev.tpo.examples.textgrad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.core.testing.ScriptedLanguageModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TextGradExampleTest {

  static ScriptedLanguageModel twoSteps() {
    return new ScriptedLanguageModel()
        .thenAnswer("Too informal; no day or place.")
        .thenAnswer("Name the day, the place and ask for a reply.")
        .thenAnswer("<NEW_VALUE>Lunch on Friday at noon? Let me know if you can come.</NEW_VALUE>")
        .thenAnswer("Better; the place is missing.")
        .thenAnswer("Add where the lunch is.")
        .thenAnswer("<NEW_VALUE>Lunch on Friday at noon at Luigi's? Let me know if you can come!"
            + "</NEW_VALUE>");
  }

  @Test
  void optimizesTheTextOverTheGivenSteps() {
    ScriptedLanguageModel model = twoSteps();
    List<String> log = new ArrayList<>();
    TextOptimization.Result r = new TextOptimization(model)
        .optimize("lunch friday maybe", "a clear invitation to lunch", 2, log::add);

    assertThat(r.text()).isEqualTo(
        "Lunch on Friday at noon at Luigi's? Let me know if you can come!");
    assertThat(r.history()).containsExactly("lunch friday maybe",
        "Lunch on Friday at noon? Let me know if you can come.");
    assertThat(model.requests()).hasSize(6);
    assertThat(r.usage().requests()).isEqualTo(6);
    // The second update shows the first value as momentum.
    assertThat(model.request(5).messages().get(1).content())
        .contains("<PAST_VALUE step=\"1\">\nlunch friday maybe\n</PAST_VALUE>");
    assertThat(log).contains("step 1 critique: Name the day, the place and ask for a reply.");
  }

  @Test
  void commandLinePrintsBeforeAndAfterAndUsage() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ScriptedLanguageModel model = twoSteps();
    int status = TextGradExample.run(
        new String[] {"--model", "m", "--steps", "2", "lunch friday maybe"},
        Map.of("TPO_API_KEY", "sk-secret"), options -> {
          assertThat(options.model()).isEqualTo("m");
          assertThat(options.apiKey()).isEqualTo("sk-secret");
          assertThat(options.toString()).doesNotContain("sk-secret");
          return model;
        },
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(status).isZero();
    assertThat(printed).contains("before: lunch friday maybe")
        .contains("after:  Lunch on Friday at noon at Luigi's?")
        .contains("in 6 requests").doesNotContain("sk-secret");
  }

  @Test
  void missingModelIsABadArgumentWithAHint() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = TextGradExample.run(new String[] {"text"}, Map.of(), options -> {
      throw new AssertionError("no model should be made");
    }, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("TPO_MODEL").contains("--model");
  }
}
