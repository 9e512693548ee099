package dev.tpo.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tpo.StopReason;
import dev.tpo.Tpo;
import dev.tpo.TpoMode;
import dev.tpo.TpoOutcome;
import dev.tpo.TpoRequest;
import dev.tpo.TpoResult;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input through the API: prompts that are empty, blank, 1 MB, not valid Unicode or over the
 * context window; bad N, D and mode. Each is refused with a {@link ConfigurationException} naming
 * the field, the value and the fix, before any request is sent, except a prompt that fits the
 * sampling request but not a refinement prompt: that run keeps its samples and stops refining
 * with a warning.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BadInputTest {

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "  \n\t  ", "\u2003"})
  void emptyAndBlankPromptsAreRefusedBeforeAnyRequest(String prompt) {
    try (Harness h = new Harness()) {
      Tpo tpo = h.tpo().build();
      assertThatThrownBy(() -> tpo.optimize(prompt))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("TpoRequest.prompt is blank")
          .hasMessageContaining("give the user's query");
      assertThatThrownBy(() -> tpo.optimizeAsync(prompt).join())
          .isInstanceOf(ConfigurationException.class);
      assertThat(h.server.requests()).isEmpty();
    }
  }

  @Test
  void aNullPromptIsRefusedNamingNull() {
    assertThatThrownBy(() -> TpoRequest.of(null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("TpoRequest.prompt is null");
  }

  @Test
  void aOneMegabytePromptIsRefusedAtOnceNamingTheContextLimitWithoutAnyRequest() {
    String huge = "All work and no play. ".repeat((1 << 20) / 22 + 1);
    assertThat(huge.length()).isGreaterThanOrEqualTo(1 << 20);
    try (Harness h = new Harness()) {
      assertThatThrownBy(() -> h.tpo().build().optimize(huge))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("the sampling prompt takes about")
          .hasMessageContaining("maxContextTokens=8192")
          .hasMessageContaining("--max-tokens-all")
          .hasMessageContaining("shorten the query");
      assertThat(h.server.requests()).isEmpty();
    }
  }

  @Test
  void aPromptOverTheContextWindowIsRefusedNamingTheSetting() {
    String prompt = "word ".repeat(2_000); // about 2,500 tokens
    try (Harness h = new Harness()) {
      Tpo tpo = h.tpo().maxTokens(512).maxContextTokens(2_048).build();
      assertThatThrownBy(() -> tpo.optimize(prompt))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("fills maxContextTokens=2048");
      assertThat(h.server.requests()).isEmpty();
    }
  }

  @Test
  void aPromptThatFitsSamplingButNotTheLossKeepsItsSamplesAndStopsRefiningWithAWarning() {
    String prompt = "word ".repeat(1_500); // about 1,900 tokens: sampling fits, the loss does not
    try (Harness h = new Harness()) {
      TpoResult r = h.tpo().maxTokens(512).maxContextTokens(2_048).build().optimize(prompt);
      assertThat(r.stopReason()).isEqualTo(StopReason.CONTEXT_FULL);
      assertThat(r.stopDetail()).contains("loss prompt").contains("maxContextTokens=2048");
      assertThat(r.pool()).hasSize(2).allSatisfy(p -> assertThat(p.round()).isZero());
      assertThat(r.answer()).isEqualTo(r.best().text());
      assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("refining stopped"));
      int sent = h.server.requests(SimulatedOpenAiServer.CHAT_PATH).get(0).json()
          .path("max_tokens").asInt();
      assertThat(sent).as("max_tokens lowered to the room left").isBetween(1, 512);
    }
  }

  @Test
  void aPromptWithAnUnpairedSurrogateIsRefusedNamingTheIndex() {
    try (Harness h = new Harness()) {
      assertThatThrownBy(() -> h.tpo().build().optimize("Caf\uD800 au lait?"))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("not valid Unicode")
          .hasMessageContaining("\\uD800 at index 3")
          .hasMessageContaining("decode the input as UTF-8");
      assertThat(h.server.requests()).isEmpty();
    }
  }

  @Test
  void textWithReplacementCharactersAndSurrogatePairsIsOptimizedAsIs() {
    String prompt = "Caf\uFFFD: explain \uD83D\uDE00 emoji in one line";
    try (Harness h = new Harness()) {
      TpoResult r = h.tpo().build().optimize(prompt);
      assertThat(r.prompt()).isEqualTo(prompt);
      assertThat(h.server.requests(SimulatedOpenAiServer.CHAT_PATH).get(0).json()
          .path("messages").get(1).path("content").asText()).isEqualTo(prompt);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 257})
  void samplesOutOfRangeAreRefusedOnTheBuilderAndTheRequest(int samples) {
    try (Harness h = new Harness()) {
      assertThatThrownBy(() -> h.tpo().samples(samples).build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("'samples' must be between 1 and 256, got " + samples)
          .hasMessageContaining("Tpo.builder().samples(...)");
      assertThatThrownBy(() -> TpoRequest.builder("q").samples(samples).build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("got " + samples);
    }
  }

  @Test
  void negativeIterationsAreRefusedOnTheBuilderAndTheRequest() {
    try (Harness h = new Harness()) {
      assertThatThrownBy(() -> h.tpo().iterations(-1).build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("'iterations' must be between 0 (Best-of-N) and 1000, got -1");
      assertThatThrownBy(() -> TpoRequest.builder("q").iterations(-3).build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("got -3");
    }
  }

  @Test
  void anUnknownModeIsRefusedListingTheKnownOnes() {
    assertThatThrownBy(() -> TpoMode.of("beam-search"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown TPO mode 'beam-search'")
        .hasMessageContaining("tpo, revision, bon");
    try (Harness h = new Harness()) {
      assertThatThrownBy(() -> h.tpo().mode(null).build())
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("Tpo.builder().mode(...) is not set");
    }
  }

  @Test
  void aBlankOrNullPromptInOptimizePromptsIsRefusedNamingItsIndexBeforeAnyRuns() {
    try (Harness h = new Harness()) {
      Tpo tpo = h.tpo().build();
      assertThatThrownBy(() -> tpo.optimizePrompts(List.of("fine", "also fine", " "), 2))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("prompts[2]: TpoRequest.prompt is blank")
          .hasMessageContaining("nothing was run");
      assertThatThrownBy(() -> tpo.optimizeAll(
          Arrays.asList(TpoRequest.of("fine"), null), 2))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("optimizeAll requests[1] is null");
      assertThatThrownBy(() -> tpo.optimizeAll(List.of(TpoRequest.of("fine")), 0))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("concurrency must be at least 1, got 0");
      assertThat(h.server.requests()).isEmpty();
    }
  }

  @Test
  void badPromptsInOptimizeAllFailOnlyThemselves() {
    try (Harness h = new Harness()) {
      Tpo tpo = h.tpo().maxTokens(256).maxContextTokens(1_024).build();
      List<TpoRequest> requests = List.of(TpoRequest.of("A fine question?"),
          TpoRequest.of("x".repeat(1 << 20)), TpoRequest.of("Another fine question?"));
      List<TpoOutcome> out = tpo.optimizeAll(requests, 2);
      assertThat(out).extracting(TpoOutcome::succeeded).containsExactly(true, false, true);
      assertThat(out.get(1).error().orElseThrow()).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("fills maxContextTokens=1024");
    }
  }
}
