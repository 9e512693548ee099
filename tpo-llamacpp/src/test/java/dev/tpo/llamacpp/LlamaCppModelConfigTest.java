package dev.tpo.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.model.LanguageModels;
import dev.tpo.llamacpp.testing.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bad input, each a clear ConfigurationException naming the value and the fix; and close(). */
@Timeout(120)
class LlamaCppModelConfigTest {
  @TempDir Path dir;

  private static LlamaCppModelBuilder small(Path p) {
    return LlamaCppModel.builder().modelPath(p).contextSize(256).slots(1).threads(1);
  }

  @Test
  void missingFile() {
    Path p = dir.resolve("absent.gguf");
    assertThatThrownBy(() -> small(p).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(p.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void notAGguf() throws Exception {
    Path p = Files.writeString(dir.resolve("model.gguf"), "<html>Not found</html>");
    assertThatThrownBy(() -> small(p).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(p.toString())
        .hasMessageContaining("not a GGUF file")
        .hasMessageContaining("convert");
  }

  @Test
  void truncatedGguf() {
    byte[] full = new TinyGguf().bytes();
    for (int cut : new int[] {10, 200, full.length / 2, full.length - 1}) {
      Path p = new TinyGguf().truncateTo(cut).writeTo(dir.resolve("cut" + cut + ".gguf"));
      assertThatThrownBy(() -> small(p).build())
          .as("cut at %d", cut)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining(p.toString())
          .hasMessageContaining("truncated");
    }
  }

  @Test
  void architectureTheNativesDoNotKnow() {
    Path p = new TinyGguf().architecture("tinyfoo").writeTo(dir.resolve("foo.gguf"));
    assertThatThrownBy(() -> small(p).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(p.toString())
        .hasMessageContaining("'tinyfoo'")
        .hasMessageContaining("not support");
  }

  @Test
  void contextTooLargeForMemory() {
    assertThatThrownBy(() -> small(TinyGguf.defaultModel()).contextSize(1 << 30).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("contextSize 1073741824")
        .hasMessageContaining("GiB of KV cache")
        .hasMessageContaining("lower contextSize");
    assertThatThrownBy(() -> small(TinyGguf.defaultModel()).contextSize(1 << 30).slots(4).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("more than llama.cpp can address");
  }

  @Test
  void optionsOutOfRange() {
    Path p = TinyGguf.defaultModel();
    assertThatThrownBy(() -> small(p).slots(0).build()).hasMessageContaining("slots must be 1 to 256, got 0");
    assertThatThrownBy(() -> small(p).threads(0).build()).hasMessageContaining("threads must be at least 1");
    assertThatThrownBy(() -> small(p).contextSize(8).build()).hasMessageContaining("at least 16");
    assertThatThrownBy(() -> small(p).gpuLayers(-1).build()).hasMessageContaining("gpuLayers");
    assertThatThrownBy(() -> LlamaCppModel.builder().build()).hasMessageContaining("modelPath is not set");
    assertThatThrownBy(() -> small(p).nativesPath(dir.resolve("nope")).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("nativesPath");
  }

  @Test
  void specs() {
    assertThatThrownBy(() -> LanguageModels.fromSpec("hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("names no file");
    assertThatThrownBy(() -> LanguageModels.fromSpec("llama:"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("names no file");
    assertThatThrownBy(() -> LanguageModels.fromSpec("gguf:/x"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(LlamaCppModels.SYNTAX);
    assertThat(LanguageModels.isSupported("llama:/x.gguf")).isTrue();
    assertThat(LanguageModels.providers())
        .anySatisfy(p -> assertThat(p.embeddedDefaultSpec()).contains(LlamaCppModels.DEFAULT_MODEL_SPEC));
    assertThatThrownBy(() -> LanguageModels.embeddedDefault(java.util.List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("tpo-llamacpp");
    assertThat(LanguageModels.isSupported("http://localhost:8000/v1")).isFalse();
  }

  @Test
  void aLocalSpecLoadsThroughTheServiceLoader() throws Exception {
    LanguageModel m = LanguageModels.fromSpec("llama:" + TinyGguf.defaultModel());
    try {
      assertThat(m).isInstanceOf(LlamaCppModel.class);
      ChatResponse r = m.chat(ChatRequest.builder().user("hi").maxTokens(3).n(2).seed(1L).build());
      assertThat(r.choices()).hasSize(2);
    } finally {
      ((AutoCloseable) m).close();
    }
  }

  @Test
  void closeCancelsWhatRunsRejectsWhatComesAndIsIdempotent() throws Exception {
    // Room for 16,000 tokens: many seconds of generation unless close() stops it.
    LlamaCppModel m = small(TinyGguf.defaultModel()).contextSize(16384).build();
    CompletableFuture<ChatResponse> running =
        m.chatAsync(ChatRequest.builder().user("go").maxTokens(16000).build());
    CompletableFuture<ChatResponse> queued =
        m.chatAsync(ChatRequest.builder().user("wait").maxTokens(16000).build());
    Thread.sleep(200);
    long t0 = System.nanoTime();
    m.close();
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5.0);
    for (CompletableFuture<ChatResponse> f : java.util.List.of(running, queued)) {
      assertThatThrownBy(f::get)
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(ConfigurationException.class)
          .hasMessageContaining("is closed");
    }
    assertThatThrownBy(() -> m.chat(ChatRequest.builder().user("after").build()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("is closed");
    m.close();
  }
}
