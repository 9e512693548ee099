package dev.tpo.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.llamacpp.hub.HubDownloader;
import dev.tpo.llamacpp.testing.FakeHub;
import dev.tpo.llamacpp.testing.TinyGguf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default, served by a fake hub at TPO_HF_ENDPOINT (the tiny model in its place). */
@Timeout(120)
class EmbeddedDefaultTest {
  @TempDir Path cache;

  @Test
  void downloadsOnceAnnouncesItselfAndAnswers() {
    try (FakeHub hub = new FakeHub()) {
      hub.put(
          "Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf",
          new TinyGguf().bytes());
      HubDownloader d =
          HubDownloader.fromEnvironment(
              Map.of("TPO_CACHE", cache.toString(), "TPO_HF_ENDPOINT", hub.endpoint().toString()));
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      try (LlamaCppModel m =
          LlamaCppModels.embeddedDefault(d, new PrintStream(err, true, StandardCharsets.UTF_8))) {
        assertThat(m.chat(ChatRequest.builder().user("hi").maxTokens(4).build()).text()).isNotEmpty();
      }
      assertThat(err.toString(StandardCharsets.UTF_8))
          .contains(LlamaCppModels.DEFAULT_MODEL_SPEC)
          .contains(cache.resolve("Qwen/Qwen2.5-0.5B-Instruct-GGUF/main").toString());
    }
  }

  @Test
  void unreachableHubNamesTheEndpointAndTheFileToPlace() {
    HubDownloader d =
        HubDownloader.fromEnvironment(
            Map.of("TPO_CACHE", cache.toString(), "TPO_HF_ENDPOINT", "http://127.0.0.1:9"));
    assertThatThrownBy(() -> LlamaCppModels.embeddedDefault(d, null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("TPO_HF_ENDPOINT")
        .hasMessageContaining("qwen2.5-0.5b-instruct-q4_k_m.gguf")
        .hasMessageContaining(cache.toString());
  }
}
