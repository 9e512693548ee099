package dev.tpo.textgrad.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rendered TPO prompts, pinned word for word. */
class TpoPromptsGoldenTest {
  private static final String QUERY = "How many legs does a spider have? Answer {{briefly}}.";
  private static final String REJECTED = "Six, like every insect. $1 \\n {{query}}";

  private static String golden(String name) throws IOException {
    try (InputStream in = TpoPromptsGoldenTest.class
        .getResourceAsStream("/dev/tpo/prompts/golden/" + name)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
  }

  @Test
  void tpoLossRendersAsTheGoldenText() throws IOException {
    assertThat(PromptTemplates.defaults().render(PromptTemplates.TPO_LOSS,
        Map.of("query", QUERY, "rejected", REJECTED)))
        .isEqualTo(golden("tpo-loss.txt"));
  }

  @Test
  void revisionLossRendersAsTheGoldenText() throws IOException {
    assertThat(PromptTemplates.defaults().render(PromptTemplates.REVISION_LOSS,
        Map.of("query", QUERY)))
        .isEqualTo(golden("revision-loss.txt"));
  }

  @Test
  void samplingSystemPromptIsTheShippedOne() {
    assertThat(PromptTemplates.defaults().get(PromptTemplates.SAMPLING_SYSTEM).text())
        .isEqualTo("You are a helpful, honest and careful assistant. Answer the user's request as"
            + " well as you can.");
  }

  @Test
  void valuesAreInsertedOnceAndVerbatim() {
    String out = PromptTemplate.of("t", "[{{a}}|{{b}}]")
        .render(Map.of("a", "{{b}} $0 \\", "b", "{{a}}"));
    assertThat(out).isEqualTo("[{{b}} $0 \\|{{a}}]");
  }

  @Test
  void overridesMustUseExactlyTheirPlaceholders() {
    PromptTemplates custom = PromptTemplates.defaults()
        .with(PromptTemplates.TPO_LOSS, "Q: {{query}} R: {{rejected}}");
    assertThat(custom.render(PromptTemplates.TPO_LOSS, Map.of("query", "q", "rejected", "r")))
        .isEqualTo("Q: q R: r");
    assertThatThrownBy(() -> PromptTemplates.defaults()
        .with(PromptTemplates.TPO_LOSS, "Q: {{query}}"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("tpo-loss").hasMessageContaining("{{rejected}}");
    assertThatThrownBy(() -> PromptTemplates.defaults()
        .with(PromptTemplates.REVISION_LOSS, "{{query}} {{chosen}}"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("{{chosen}}");
    assertThat(PromptTemplate.of("t", "{{x}} {{y}} {{x}}").placeholders())
        .containsExactly("x", "y");
    assertThatThrownBy(() -> PromptTemplate.of("t", "{{x}}").requireExactly(List.of()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("{{x}}");
  }
}
