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
    // A value whose own tags are unbalanced needs the tag mode: the other one pairs them.
    String unbalanced = "close it with </NEW_VALUE> then";
    assertThat(tags.parse("<NEW_VALUE>" + unbalanced + "</NEW_VALUE>", true))
        .hasValue(new ValueTags.Parsed(unbalanced, true));
  }

  @Test
  void aPairOfTagsMentionedInsideTheAnswerStaysWholeWithNoStrayEndTag() {
    String inner = "Write it between <NEW_VALUE> and </NEW_VALUE>. The sky is blue.";
    assertThat(tags.parse("<NEW_VALUE>" + inner + "</NEW_VALUE>", false))
        .hasValue(new ValueTags.Parsed(inner, true));
    String nested = "use <NEW_VALUE>x</NEW_VALUE> to mark it";
    assertThat(tags.parse("Here:\n<NEW_VALUE>" + nested + "</NEW_VALUE>", false))
        .hasValue(new ValueTags.Parsed(nested, true));
  }

  @Test
  void moreEndTagsThanStartTagsStartAtTheFirstStartTag() {
    assertThat(tags.parse("<NEW_VALUE>a </NEW_VALUE> b</NEW_VALUE>", false))
        .hasValue(new ValueTags.Parsed("a </NEW_VALUE> b", true));
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
