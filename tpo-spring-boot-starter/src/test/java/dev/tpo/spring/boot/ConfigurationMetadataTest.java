package dev.tpo.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The IDE metadata that spring-boot-configuration-processor writes describes every property. */
class ConfigurationMetadataTest {

  @Test
  void everyTpoPropertyHasADescriptionForTheIde() throws IOException {
    JsonNode metadata;
    try (InputStream in = getClass().getResourceAsStream(
        "/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("metadata generated at compile time").isNotNull();
      metadata = new ObjectMapper().readTree(in);
    }
    Map<String, String> descriptions = new HashMap<>();
    metadata.path("properties").forEach(p ->
        descriptions.put(p.path("name").asText(), p.path("description").asText("")));

    assertThat(descriptions).containsKeys("tpo.policy.base-url", "tpo.policy.model",
        "tpo.policy.api-key", "tpo.policy.timeout", "tpo.policy.max-retries",
        "tpo.policy.max-concurrent-requests", "tpo.reward.spec", "tpo.reward.api-key",
        "tpo.reward.timeout", "tpo.reward.max-retries", "tpo.mode", "tpo.samples",
        "tpo.iterations", "tpo.temperature", "tpo.top-p", "tpo.seed", "tpo.max-tokens",
        "tpo.max-context-tokens", "tpo.response-truncation-tokens", "tpo.token-budget",
        "tpo.time-limit", "tpo.early-stop-rounds", "tpo.early-stop-margin",
        "tpo.stop-at-max-score", "tpo.prompt-layout", "tpo.stream-scoring",
        "tpo.metrics.enabled");
    assertThat(descriptions).allSatisfy((name, description) ->
        assertThat(description).as(name).isNotBlank().doesNotContain("{@"));
    assertThat(descriptions.get("tpo.reward.spec")).contains("vllm+http://");
  }
}
