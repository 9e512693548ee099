package dev.tpo.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.core.error.ConfigurationException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LanguageModelsTest {
  private static LanguageModelProvider provider(String name, String prefix, String defaultSpec) {
    return new LanguageModelProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean supports(String spec) {
        return spec.startsWith(prefix);
      }

      @Override
      public LanguageModel create(String spec) {
        return new LanguageModel() {
          @Override
          public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
          }

          @Override
          public String name() {
            return name + ":" + spec;
          }
        };
      }

      @Override
      public Optional<String> embeddedDefaultSpec() {
        return Optional.ofNullable(defaultSpec);
      }

      @Override
      public String syntax() {
        return prefix + "THING";
      }
    };
  }

  @Test
  void findsTheOneProviderThatAcceptsTheSpec() {
    List<LanguageModelProvider> ps = List.of(provider("a", "a:", null), provider("b", "b:", null));
    assertThat(LanguageModels.fromSpec("  b:x ", ps).name()).isEqualTo("b:b:x");
  }

  @Test
  void failsLoudly() {
    List<LanguageModelProvider> ps = List.of(provider("a", "a:", null), provider("a2", "a:", null));
    assertThatThrownBy(() -> LanguageModels.fromSpec(" ", ps))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("a:THING");
    assertThatThrownBy(() -> LanguageModels.fromSpec("z:1", ps))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'z:1'")
        .hasMessageContaining("tpo-llamacpp");
    assertThatThrownBy(() -> LanguageModels.fromSpec("a:1", ps))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("a, a2");
  }

  @Test
  void embeddedDefaultComesFromTheFirstProviderOfferingOne() {
    List<LanguageModelProvider> ps =
        List.of(provider("a", "a:", null), provider("b", "b:", "b:small"), provider("c", "c:", "c:x"));
    assertThat(LanguageModels.embeddedDefault(ps).name()).isEqualTo("b:b:small");
    assertThatThrownBy(() -> LanguageModels.embeddedDefault(List.of(provider("a", "a:", null))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no embedded model");
    // tpo-core alone has no provider.
    assertThat(LanguageModels.providers()).isEmpty();
  }
}
