package dev.tpo.textgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.ConfigurationException;
import org.junit.jupiter.api.Test;

class ValueTagsTest {
  private final ValueTags tags = ValueTags.DEFAULT;

  @Test
  void parsesBetweenTheTagsAndStripsWhiteSpace() {
    assertThat(tags.parse("pre <NEW_VALUE>\n value \n</NEW_VALUE> post"))
        .hasValue(new ValueTags.Parsed("value", true));
  }

  @Test
  void keepsTagsInsideTheValue() {
    String value = "use <NEW_VALUE>x</NEW_VALUE> to mark it";
    assertThat(tags.parse("<NEW_VALUE>" + value + "</NEW_VALUE>"))
        .hasValue(new ValueTags.Parsed(value, true));
  }

  @Test
  void startTagWithoutEndTagGivesTheRestFlaggedIncomplete() {
    assertThat(tags.parse("<NEW_VALUE>cut off here")).hasValue(
        new ValueTags.Parsed("cut off here", false));
    assertThat(tags.parse("<NEW_VALUE>cut off </NEW_")).hasValue(
        new ValueTags.Parsed("cut off", false));
  }

  @Test
  void endTagBeforeTheStartTagIsIgnored() {
    assertThat(tags.parse("</NEW_VALUE> then <NEW_VALUE>v")).hasValue(
        new ValueTags.Parsed("v", false));
  }

  @Test
  void preambleMentioningTheTagsIsSkippedWhenTheValueHasNoTags() {
    String answer = "I wrap it in <NEW_VALUE> and </NEW_VALUE>:\n<NEW_VALUE>\nv\n</NEW_VALUE>";
    assertThat(tags.parse(answer, false)).hasValue(new ValueTags.Parsed("v", true));
    assertThat(tags.parse("Uses <NEW_VALUE> tags:\n<NEW_VALUE>cut", false))
        .hasValue(new ValueTags.Parsed("cut", false));
  }

  @Test
  void valueWithTagsIsKeptWholeInTheTagMode() {
    String value = "use <NEW_VALUE>x</NEW_VALUE> to mark it";
    String answer = "<NEW_VALUE>" + value + "</NEW_VALUE>";
    assertThat(tags.occursIn(value)).isTrue();
    assertThat(tags.parse(answer, true)).hasValue(new ValueTags.Parsed(value, true));
    // The other mode would cut it: that is why the optimizer picks the mode from the value.
    assertThat(tags.parse(answer, false).orElseThrow().value()).isNotEqualTo(value);
  }

  @Test
  void noStartTagGivesNothing() {
    assertThat(tags.parse("just text </NEW_VALUE>")).isEmpty();
  }

  @Test
  void invalidTagsAreRefused() {
    assertThatThrownBy(() -> new ValueTags("<A>", " "))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("end=");
    assertThatThrownBy(() -> new ValueTags("<A>", "<A>"))
        .isInstanceOf(ConfigurationException.class);
  }
}
