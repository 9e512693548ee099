package dev.tpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code tpo run} against a policy server starts the adapter's preload on a spare thread at
 * once (issue 21); other commands and in-process runs load none of it.
 */
class PreloadTest {

  @Test
  void aRunAgainstAServerGivenByOptionOrEnvironmentPreloads() {
    assertThat(TpoCli.preloadForServer(
        new String[] {"run", "--data", "d.json", "--base-url", "http://h:8000/v1"}, Map.of()))
        .isTrue();
    assertThat(TpoCli.preloadForServer(new String[] {"run", "--base-url=http://h/v1"}, Map.of()))
        .isTrue();
    assertThat(TpoCli.preloadForServer(new String[] {"run", "--port", "8000"}, Map.of()))
        .isTrue();
    assertThat(TpoCli.preloadForServer(new String[] {"run", "--ip=10.0.0.2"}, Map.of()))
        .isTrue();
    assertThat(TpoCli.preloadForServer(new String[] {"run", "--data", "d.json"},
        Map.of("TPO_BASE_URL", "http://h:8000/v1"))).isTrue();
  }

  @Test
  void otherCommandsAndInProcessRunsDoNot() {
    assertThat(TpoCli.preloadForServer(new String[0], Map.of())).isFalse();
    assertThat(TpoCli.preloadForServer(new String[] {"--help"}, Map.of())).isFalse();
    assertThat(TpoCli.preloadForServer(new String[] {"report", "--base-url", "x"}, Map.of()))
        .isFalse();
    assertThat(TpoCli.preloadForServer(new String[] {"run", "--data", "d.json"}, Map.of()))
        .isFalse();
    assertThat(TpoCli.preloadForServer(new String[] {"run", "--data", "d.json"},
        Map.of("TPO_BASE_URL", "  "))).isFalse();
    assertThat(TpoCli.preloadForServer(
        new String[] {"run", "--policy", "llama:/m.gguf", "--data", "d.json"}, Map.of()))
        .isFalse();
  }
}
