package dev.tpo.textgrad.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.ConfigurationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {

  @Test
  void replacesEveryPlaceholderInOnePass() {
    PromptTemplate t = PromptTemplate.of("t", "A {{x}} and {{y}} and {{x}}.");
    assertThat(t.placeholders()).containsExactly("x", "y");
    assertThat(t.render(Map.of("x", "{{y}}", "y", "2"))).isEqualTo("A {{y}} and 2 and {{y}}.");
  }

  @Test
  void keepsTextThatIsNotAPlaceholder() {
    PromptTemplate t = PromptTemplate.of("t", "json {\"a\": {{x}}} {{ spaced }} {{Upper}}");
    assertThat(t.placeholders()).containsExactly("x");
    assertThat(t.render(Map.of("x", "1"))).isEqualTo("json {\"a\": 1} {{ spaced }} {{Upper}}");
  }

  @Test
  void missingValueNamesTemplateAndPlaceholder() {
    PromptTemplate t = PromptTemplate.of("my-template", "Hello {{name}}");
    assertThatThrownBy(() -> t.render(Map.of("other", "x")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("my-template").hasMessageContaining("{{name}}");
  }

  @Test
  void callerCanReplaceAnyTemplateByName() {
    PromptTemplates custom = PromptTemplates.defaults()
        .with(PromptTemplates.TGD_REFORMAT, "Wrap it: {{start_tag}}{{answer}}{{end_tag}}");
    assertThat(custom.render(PromptTemplates.TGD_REFORMAT,
        Map.of("start_tag", "<A>", "end_tag", "</A>", "answer", "x", "role", "r")))
        .isEqualTo("Wrap it: <A>x</A>");
    assertThat(PromptTemplates.defaults().get(PromptTemplates.TGD_REFORMAT).text())
        .startsWith("Your previous answer");
  }

  @Test
  void replacementWithUnknownPlaceholderIsRefused() {
    assertThatThrownBy(() -> PromptTemplates.defaults()
        .with(PromptTemplates.TGD_SYSTEM, "Use {{start_tag}} and {{bogus}}"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("[bogus]").hasMessageContaining("start_tag");
  }

  @Test
  void unknownTemplateNameListsTheNames() {
    assertThatThrownBy(() -> PromptTemplates.defaults().with("nope", "x"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'nope'").hasMessageContaining(PromptTemplates.TGD_UPDATE);
  }

  @Test
  void requireExactlyNamesTheMissingAndTheUnknownPlaceholder() {
    PromptTemplate t = PromptTemplate.of("loss", "{{query}} {{chosen}}");
    assertThat(PromptTemplate.of("ok", "{{a}} {{b}}").requireExactly(List.of("a", "b")).text())
        .isEqualTo("{{a}} {{b}}");
    assertThatThrownBy(() -> t.requireExactly(List.of("query", "rejected")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'loss'").hasMessageContaining("{{rejected}}");
    assertThatThrownBy(() -> t.requireExactly(List.of("query")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown placeholder {{chosen}}").hasMessageContaining("{{query}}");
  }

  @Test
  void fromResourceDropsTheFinalLineBreakAndNamesAMissingFile() {
    PromptTemplate shipped = PromptTemplate.fromResource(
        PromptTemplates.TGD_REFORMAT, "/dev/tpo/textgrad/prompts/tgd-reformat.txt");
    assertThat(shipped).isEqualTo(PromptTemplates.defaults().get(PromptTemplates.TGD_REFORMAT));
    assertThat(shipped.text()).doesNotEndWith("\n");
    assertThatThrownBy(() -> PromptTemplate.fromResource("x", "/dev/tpo/prompts/nope.txt"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/dev/tpo/prompts/nope.txt");
  }
}
