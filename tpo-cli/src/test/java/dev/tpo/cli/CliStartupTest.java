package dev.tpo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the command does at start (issue 21): {@code tpo run} against a policy server starts the
 * adapter's preload on a spare thread at once, other commands and in-process runs load none of
 * it; and only the subcommand named is built.
 */
class CliStartupTest {

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

  @Test
  void onlyTheSubcommandNamedIsBuiltAndEveryOtherFirstArgumentGetsTheWholeTree() {
    FakeRunnerFactory factory = new FakeRunnerFactory();

    assertThat(TpoCli.commandLine(factory, Map.of(), "run").getSubcommands().keySet())
        .containsExactly("run");
    assertThat(TpoCli.commandLine(factory, Map.of(), "report").getSubcommands().keySet())
        .containsExactly("report");
    for (String first : new String[] {"", "--help", "rnu", "help", "--version"}) {
      // in the order the usage lists them
      assertThat(TpoCli.commandLine(factory, Map.of(), first).getSubcommands().keySet())
          .as(first).containsExactly("help", "run", "report");
    }
    assertThat(TpoCli.commandLine(factory, Map.of()).getSubcommands().keySet())
        .containsExactly("help", "run", "report");
  }
}
