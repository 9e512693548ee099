package dev.tpo.cli.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.core.error.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ResultsStoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private static ObjectNode ok(String id, double score) {
    ObjectNode n = JSON.createObjectNode().put("id", id).put("prompt", "p " + id)
        .put("answer", "a").put("score", score).put("initial_best_score", score - 1);
    n.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5).put("requests", 7);
    return n;
  }

  private static ObjectNode failed(String id) {
    return JSON.createObjectNode().put("id", id).put("prompt", "p").put("error", "boom");
  }

  private List<String> lines(Path f) throws IOException {
    return Files.readAllLines(f, StandardCharsets.UTF_8);
  }

  @Test
  void appendsOneLinePerResultAndReadsThemBack() throws IOException {
    Path f = dir.resolve("sub/results.jsonl");
    try (ResultsStore s = ResultsStore.open(f)) {
      s.append(ok("a", 1.5));
      s.append(ok("b", 2.5));
    }
    assertThat(lines(f)).hasSize(2);
    try (ResultsStore s = ResultsStore.open(f)) {
      assertThat(s.doneIds()).containsExactly("a", "b");
      assertThat(s.recovery().repaired()).isFalse();
      StoredResult a = s.results().get(0);
      assertThat(a.score()).hasValue(1.5);
      assertThat(a.initialBestScore()).hasValue(0.5);
      assertThat(a.requests()).isEqualTo(7);
    }
  }

  @Test
  void partialLastLineIsCutOffAndItsPromptIsNotDone() throws IOException {
    Path f = dir.resolve("r.jsonl");
    String good = JSON.writeValueAsString(ok("a", 1)) + "\n";
    String partial = JSON.writeValueAsString(ok("b", 2)).substring(0, 30);
    Files.writeString(f, good + partial);
    try (ResultsStore s = ResultsStore.open(f)) {
      assertThat(s.recovery().truncatedBytes()).isEqualTo(partial.getBytes(StandardCharsets.UTF_8).length);
      assertThat(s.doneIds()).containsExactly("a");
      s.append(ok("b", 2));
    }
    List<String> lines = lines(f);
    assertThat(lines).hasSize(2);
    for (String l : lines) {
      assertThat(JSON.readTree(l).get("id").asText()).isIn("a", "b");
    }
  }

  @Test
  void failedLinesAreRemovedSoThePromptRunsAgainAndEndsOnce() throws IOException {
    Path f = dir.resolve("r.jsonl");
    try (ResultsStore s = ResultsStore.open(f)) {
      s.append(ok("a", 1));
      s.append(failed("b"));
    }
    try (ResultsStore s = ResultsStore.open(f)) {
      assertThat(s.recovery().droppedFailures()).isEqualTo(1);
      assertThat(s.doneIds()).containsExactly("a");
      s.append(ok("b", 3));
    }
    assertThat(lines(f)).hasSize(2)
        .allSatisfy(l -> assertThat(l).doesNotContain("\"error\""));
  }

  @Test
  void duplicateAndUnreadableLinesAreDroppedKeepingTheFirst() throws IOException {
    Path f = dir.resolve("r.jsonl");
    Files.writeString(f, JSON.writeValueAsString(ok("a", 1)) + "\n"
        + "not json\n"
        + JSON.writeValueAsString(ok("a", 9)) + "\n"
        + JSON.writeValueAsString(ok("b", 2)) + "\n");
    try (ResultsStore s = ResultsStore.open(f)) {
      assertThat(s.recovery().droppedDuplicates()).isEqualTo(1);
      assertThat(s.recovery().droppedInvalid()).isEqualTo(1);
      assertThat(s.recovery().invalidLineNumbers()).containsExactly(2);
      assertThat(s.doneIds()).containsExactly("a", "b");
      assertThat(s.results().get(0).score()).hasValue(1.0);
    }
    assertThat(lines(f)).hasSize(2);
  }

  @Test
  void appendingADoneIdAgainIsRefused() {
    Path f = dir.resolve("r.jsonl");
    try (ResultsStore s = ResultsStore.open(f)) {
      s.append(ok("a", 1));
      assertThatThrownBy(() -> s.append(ok("a", 2)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("never written twice");
    }
  }

  @Test
  void secondOpenOfTheSameFileIsRefusedWhileTheFirstIsOpen() {
    Path f = dir.resolve("r.jsonl");
    try (ResultsStore s = ResultsStore.open(f)) {
      assertThat(s.file()).isEqualTo(f.toAbsolutePath());
      assertThatThrownBy(() -> ResultsStore.open(f))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("another tpo run is writing");
    }
    ResultsStore.open(f).close();
  }

  @Test
  void unwritablePathIsAConfigurationError() throws IOException {
    Path blocker = dir.resolve("file");
    Files.writeString(blocker, "x");
    assertThatThrownBy(() -> ResultsStore.open(blocker.resolve("r.jsonl")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cannot write the results file")
        .hasMessageContaining("choose another --out");
    assertThatThrownBy(() -> ResultsStore.open(dir))
        .hasMessageContaining("is a directory");
  }

  @Test
  void concurrentAppendsNeverInterleave() throws Exception {
    Path f = dir.resolve("r.jsonl");
    String big = "x".repeat(100_000);
    try (ResultsStore s = ResultsStore.open(f, false)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      for (int i = 0; i < 200; i++) {
        String id = "id" + i;
        pool.execute(() -> s.append(ok(id, 1).put("answer", big)));
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
    }
    List<String> lines = lines(f);
    assertThat(lines).hasSize(200);
    for (String l : lines) {
      assertThat(JSON.readTree(l).get("answer").asText()).hasSize(100_000);
    }
  }
}
