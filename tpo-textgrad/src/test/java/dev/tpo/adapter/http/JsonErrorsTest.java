package dev.tpo.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonErrorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonProcessingException failureOf(String text) {
    return catchThrowableOfType(JsonProcessingException.class, () -> JSON.readTree(text));
  }

  @Test
  void dropsTheSourceReferencesAndNamesWhereTheProblemIs() {
    JsonProcessingException e = failureOf("{\"choices\": [1, 2");
    assertThat(e.getMessage()).contains("Source:");
    assertThat(JsonErrors.describe(e))
        .startsWith("Unexpected end-of-input")
        .doesNotContain("Source:").doesNotContain("REDACTED").doesNotContain("start marker")
        .endsWith("(line 1, column 18)");
    assertThat(JsonErrors.describe(e, false)).endsWith("(column 18)");
  }

  @Test
  void describesAnUnexpectedCharacter() {
    assertThat(JsonErrors.describe(failureOf("{\n\"a\": x}")))
        .contains("Unrecognized token 'x'").doesNotContain("Source:").endsWith("(line 2, column 7)");
  }
}
