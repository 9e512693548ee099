package dev.tpo.textgrad.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests: every built-in template rendered with fixed inputs equals the checked-in file
 * {@code src/test/resources/dev/tpo/textgrad/golden/<name>.txt}. To accept an intended change of
 * wording, run with {@code -Dgolden.update=true} and review the diff of the golden files.
 */
public class GoldenTemplatesTest {
  static final String DIR = "/dev/tpo/textgrad/golden/";

  /** Fixed inputs for every placeholder any built-in template uses. */
  static Map<String, String> fixedInputs() {
    Map<String, String> m = new HashMap<>();
    m.put("role", "a short answer to the user's question");
    m.put("value", "Paris is the capital of France.");
    m.put("conversation", "[CONVERSATION]");
    m.put("objective", "[OBJECTIVE]");
    m.put("system_prompt", "Answer in one sentence.");
    m.put("input", "What is the capital of France?");
    m.put("output", "Paris is the capital of France.");
    m.put("purpose", "checks whether the answer names the expected city");
    m.put("inputs", "[INPUT FIELDS]");
    m.put("output_role", "the evaluation of the answer (the loss)");
    m.put("feedback", "State the country's name as well.");
    m.put("min_score", "0");
    m.put("max_score", "10");
    m.put("start_tag", "<NEW_VALUE>");
    m.put("end_tag", "</NEW_VALUE>");
    m.put("gradients", "[GRADIENTS]");
    m.put("momentum", "[MOMENTUM]\n\n");
    m.put("constraints", "[CONSTRAINTS]\n\n");
    m.put("examples", "[EXAMPLES]\n\n");
    m.put("index", "1");
    m.put("context", "[CONTEXT]\n");
    m.put("constraint", "Keep it to one sentence.");
    m.put("past_values", "[PAST VALUES]");
    m.put("step", "2");
    m.put("answer", "The capital is Paris, so: Paris is the capital of France.");
    return m;
  }

  static Stream<String> names() {
    return PromptTemplates.ENGINE_NAMES.stream();
  }

  @ParameterizedTest
  @MethodSource("names")
  void renderedTemplateEqualsGoldenFile(String name) throws IOException {
    String rendered = PromptTemplates.defaults().render(name, fixedInputs());
    assertGolden(name, rendered);
  }

  @Test
  void everyPlaceholderHasAFixedInput() {
    for (String name : PromptTemplates.ENGINE_NAMES) {
      for (String placeholder : PromptTemplates.defaults().get(name).placeholders()) {
        assertThat(fixedInputs()).as("fixed input for %s in %s", placeholder, name)
            .containsKey(placeholder);
      }
    }
  }

  /**
   * Compares a rendered text with its golden file, or rewrites the file when
   * {@code -Dgolden.update=true}.
   */
  public static void assertGolden(String name, String rendered) throws IOException {
    if (Boolean.getBoolean("golden.update")) {
      Path file = Path.of("src/test/resources" + DIR + name + ".txt");
      Files.createDirectories(file.getParent());
      Files.writeString(file, rendered + "\n", StandardCharsets.UTF_8);
      assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(rendered + "\n");
      return;
    }
    try (InputStream in = GoldenTemplatesTest.class.getResourceAsStream(DIR + name + ".txt")) {
      assertThat(in).as("golden file %s%s.txt (create it with -Dgolden.update=true)", DIR, name)
          .isNotNull();
      String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(rendered + "\n").isEqualTo(expected);
    }
  }
}
