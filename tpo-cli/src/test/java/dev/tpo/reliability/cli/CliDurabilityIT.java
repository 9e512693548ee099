package dev.tpo.reliability.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tpo.simulator.Fault;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability of the results file with the real jar as a process: killed twice midway (SIGKILL,
 * then SIGTERM) while 10% of chat requests fail transiently and are retried, the file holds only complete JSON
 * lines plus at most one partial last line; a partial last line (as a kill during a write leaves)
 * is detected and its prompt redone; in the end every prompt has exactly one result and one
 * complete trace, and the report renders.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class CliDurabilityIT {
  private static final int PROMPTS = 18;
  @TempDir Path dir;

  /** Complete lines parse as objects with ids, ids are unique, only the tail may be partial. */
  private static Set<String> assertAtMostAPartialLastLine(Path out) throws Exception {
    String text = Files.readString(out, StandardCharsets.UTF_8);
    int lastNewline = text.lastIndexOf('\n');
    String complete = lastNewline < 0 ? "" : text.substring(0, lastNewline);
    Set<String> ids = new HashSet<>();
    if (!complete.isEmpty()) {
      for (String line : complete.split("\n", -1)) {
        JsonNode node = Cli.JSON.readTree(line);
        assertThat(node.isObject()).as(line).isTrue();
        assertThat(ids.add(node.get("id").asText())).as("id %s once", node.get("id")).isTrue();
      }
    }
    return ids;
  }

  @Test
  void killedRunsLeaveAtMostAPartialLastLineAndTheRerunEndsWithEveryPromptExactlyOnce()
      throws Exception {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder()
        .latency(Duration.ofMillis(40)).seed(9).start()) {
      server.chatFaults().withProbability(0.1, Fault.status(503));
      List<String> prompts = new ArrayList<>();
      for (int i = 0; i < PROMPTS; i++) {
        prompts.add("Durability prompt " + i + ": a tip for writing tests");
      }
      Path data = dir.resolve("prompts.json");
      Files.writeString(data, Cli.JSON.writeValueAsString(prompts));
      Path out = dir.resolve("results.jsonl");
      List<String> args = List.of("run", "--data", data.toString(), "--base-url",
          server.openAiBaseUrl(), "--reward", "vllm+" + server.baseUrl() + "?model=sim-reward",
          "--samples", "2", "--iterations", "1", "--concurrency", "2", "--out", out.toString(),
          "--progress", "log", "--timeout", "10", "--trace-dir", "traces");

      int[] killAfter = {3, 8};
      for (int k = 0; k < killAfter.length; k++) {
        Process p = JarProcess.start(dir, "killed" + k, Map.of(), args);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && p.isAlive() && (!Files.exists(out)
            || Files.readAllLines(out).size() < killAfter[k])) {
          Thread.sleep(20);
        }
        assertThat(p.isAlive()).as("still running when killed: %s",
            Files.readString(dir.resolve("killed" + k + ".err"))).isTrue();
        if (k == 0) {
          p.destroyForcibly(); // SIGKILL: no chance to clean up
        } else {
          p.destroy(); // SIGTERM: the shutdown hook stops the run and says so
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        if (k > 0) {
          assertThat(Files.readString(dir.resolve("killed" + k + ".err")))
              .contains("interrupted; finished prompts are kept in");
        }
        Set<String> ids = assertAtMostAPartialLastLine(out);
        assertThat(ids.size()).isBetween(killAfter[k], PROMPTS - 1);
      }

      // what a kill in the middle of a write leaves: half a line without its newline
      String complete = Files.readString(out);
      complete = complete.substring(0, complete.lastIndexOf('\n') + 1);
      Files.writeString(out, complete, StandardOpenOption.TRUNCATE_EXISTING);
      Files.writeString(out, "{\"id\":\"cut-off\",\"prompt\":\"Durability pro",
          StandardOpenOption.APPEND);

      JarProcess.Finished last = JarProcess.run(dir, "rerun", Map.of(), args);
      assertThat(last.exit()).as(last.stderr()).isZero();
      assertThat(last.stderr()).contains("was cut off").contains("that prompt runs again")
          .doesNotContain("\tat ");
      List<JsonNode> lines = Cli.lines(out);
      assertThat(lines).hasSize(PROMPTS).noneMatch(l -> l.has("error"));
      Set<String> texts = new HashSet<>();
      lines.forEach(l -> assertThat(texts.add(l.get("prompt").asText())).isTrue());
      assertThat(texts).containsExactlyInAnyOrderElementsOf(prompts);
      assertThat(server.stats().faultsInjected()).isPositive();

      // one complete trace per prompt (written to a temporary file, then moved into place)
      try (var traces = Files.list(dir.resolve("traces"))) {
        List<Path> json = traces.filter(f -> f.toString().endsWith(".json")).toList();
        assertThat(json).hasSize(PROMPTS);
        for (Path t : json) {
          assertThat(Cli.JSON.readTree(t.toFile()).get("prompt").asText()).isIn(prompts);
        }
      }
      JarProcess.Finished report = JarProcess.run(dir, "report", Map.of(), List.of("report",
          "--results", out.toString(), "--trace-dir", "traces", "-o", "report.html"));
      assertThat(report.exit()).as(report.stderr()).isZero();

      JarProcess.Finished idle = JarProcess.run(dir, "idle", Map.of(), args);
      assertThat(idle.exit()).isZero();
      assertThat(idle.stderr()).contains("nothing to do");
      assertThat(Cli.lines(out)).hasSize(PROMPTS);
    }
  }
}
