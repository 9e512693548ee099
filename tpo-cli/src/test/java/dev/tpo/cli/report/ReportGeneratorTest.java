package dev.tpo.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.cli.data.PromptIds;
import dev.tpo.core.error.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class ReportGeneratorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String EVIL = "Explain </script><script>alert('x')</script> & <b>bold</b>\u2028end";
  @TempDir Path dir;

  /** Writes a results file and traces like tpo run does. */
  static Path writeRun(Path dir, int prompts, int rounds) throws IOException {
    Path traces = Files.createDirectories(dir.resolve("traces"));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < prompts; i++) {
      String id = i == 1 ? "../weird id/" + i : "q" + i;
      String prompt = i == 0 ? EVIL : "prompt number " + i;
      if (i == 2) {
        sb.append(JSON.writeValueAsString(JSON.createObjectNode().put("id", id)
            .put("prompt", prompt).put("error", "server said <no>"))).append('\n');
        continue;
      }
      ObjectNode line = JSON.createObjectNode().put("id", id).put("prompt", prompt);
      ArrayNode pool = line.putArray("pool");
      ObjectNode trace = JSON.createObjectNode().put("id", id).put("prompt", prompt);
      ArrayNode tr = trace.putArray("rounds");
      double best = -1e9;
      for (int r = 0; r <= rounds; r++) {
        for (int k = 0; k < 3; k++) {
          double s = i * 0.01 + r + k * 0.1;
          best = Math.max(best, s);
          pool.addObject().put("text", "cand r" + r + " k" + k + " <i>html</i>").put("score", s)
              .put("round", r);
        }
        ObjectNode o = tr.addObject().put("round", r).put("best_score", best);
        if (r > 0) {
          o.put("chosen", "chosen text r" + r).put("rejected", "rejected text r" + r)
              .put("loss", "critique <em>of</em> round " + r).put("gradient", "gradient of round " + r);
        }
      }
      line.put("answer", "final <answer> " + i).put("score", best)
          .put("initial_best_score", i * 0.01 + 0.2);
      line.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 40)
          .put("requests", 7);
      line.put("elapsed_ms", 1234).put("mode", "tpo").put("model", "m");
      sb.append(JSON.writeValueAsString(line)).append('\n');
      Files.writeString(traces.resolve(PromptIds.fileName(id) + ".json"),
          JSON.writeValueAsString(trace));
    }
    Path results = dir.resolve("results.jsonl");
    Files.writeString(results, sb.toString() + "{\"id\":\"partial", StandardCharsets.UTF_8);
    return results;
  }

  @Test
  void writesOneSelfContainedFileWithEscapedData() throws IOException {
    Path results = writeRun(dir, 5, 2);
    Path html = dir.resolve("out/report.html");
    ReportGenerator.Stats stats = ReportGenerator.write(results,
        Optional.of(dir.resolve("traces")), html, "Run <1>");
    assertThat(stats.prompts()).isEqualTo(5);
    assertThat(stats.failed()).isEqualTo(1);
    assertThat(stats.withTrace()).isEqualTo(4);
    assertThat(stats.skippedLines()).isEqualTo(1);
    String page = Files.readString(html);
    assertThat(page).contains("<title>Run &lt;1&gt;</title>");
    assertThat(page).doesNotContain("<script>alert").doesNotContain("<b>bold</b>")
        .doesNotContain("<answer>").doesNotContain("\u2028");
    assertThat(page).containsPattern("<script type=\"application/json\" id=\"tpo-index\">");
    assertThat(page).contains("id=\"tpo-d-4\"");
    assertThat(page).doesNotContainPattern("(src|href)\\s*=\\s*\"?https?:");
    assertThat(page).doesNotContain("<link").doesNotContain("@import");
    // Each data block parses back to exactly what was given.
    JsonNode d0 = JSON.readTree(scriptBody(page, "tpo-d-0"));
    assertThat(d0.get("prompt").asText()).isEqualTo(EVIL);
    assertThat(d0.get("rounds")).hasSize(3);
    assertThat(d0.get("rounds").get(1).get("loss").asText()).isEqualTo("critique <em>of</em> round 1");
    JsonNode index = JSON.readTree(scriptBody(page, "tpo-index"));
    assertThat(index.get("prompts")).hasSize(5);
    assertThat(index.get("prompts").get(2).get("e").asText()).isEqualTo("server said <no>");
    assertThat(index.get("run").get("run_curve")).hasSize(3);
    assertThat(index.get("run").get("summary").get("failed").asInt()).isEqualTo(1);
    assertThat(index.get("run").get("dist")).hasSize(3);
    assertThat(index.get("run").get("dist").get(2).get("n").asInt()).isEqualTo(12);
  }

  private static String scriptBody(String page, String id) {
    Matcher m = Pattern.compile("<script type=\"application/json\" id=\"" + id + "\">(.*?)</script>",
        Pattern.DOTALL).matcher(page);
    assertThat(m.find()).as(id).isTrue();
    return m.group(1);
  }

  @Test
  void bestPerRoundIsTheRunningMaximum() {
    List<RunData.Candidate> pool = List.of(new RunData.Candidate("a", 1, 0),
        new RunData.Candidate("b", 3, 0), new RunData.Candidate("c", 2, 1),
        new RunData.Candidate("d", 5, 2));
    assertThat(RunData.bestPerRound(pool)).containsExactly(3.0, 3.0, 5.0);
    assertThat(ReportGenerator.runCurve(List.of(List.of(1.0, 2.0, 4.0), List.of(3.0))))
        .containsExactly(2.0, 2.5, 3.5);
  }

  @Test
  void missingResultsFileSaysWhatToPass() {
    assertThatThrownBy(() -> ReportGenerator.write(dir.resolve("none.jsonl"), Optional.empty(),
        dir.resolve("r.html"), "t"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("pass the --out file of a tpo run");
  }

  @Test
  void aThousandPromptsMakeOneFileWithLazyDetails() throws IOException {
    Path results = writeRun(dir, 1000, 2);
    Path html = dir.resolve("big.html");
    ReportGenerator.Stats stats = ReportGenerator.write(results,
        Optional.of(dir.resolve("traces")), html, "big");
    assertThat(stats.prompts()).isEqualTo(1000);
    String page = Files.readString(html);
    assertThat(page).contains("id=\"tpo-d-999\"");
    // The index parsed at load stays small: details are separate and parsed on demand.
    assertThat(scriptBody(page, "tpo-index").length()).isLessThan(page.length() / 4);
  }

  @Test
  void chromiumRendersTheChartAndTheFirstPromptsRounds() throws Exception {
    Chromium chromium = Chromium.requireInstalled();
    Path results = writeRun(dir, 30, 2);
    Path html = dir.resolve("report.html");
    ReportGenerator.write(results, Optional.of(dir.resolve("traces")), html, "Render test");
    Path png = Path.of("target", "report-unit.png");
    Files.createDirectories(png.getParent());
    String dom = chromium.renderReport(html, png, dir);
    assertThat(dom).contains("data-errors=\"0\"");
    assertThat(dom).contains("critique &lt;em&gt;of&lt;/em&gt; round 1");
    assertThat(dom).contains("Explain &lt;/script&gt;&lt;script&gt;alert");
    assertThat(dom).doesNotContain("<b>bold</b>");
    List<String> rows = new ArrayList<>();
    Matcher m = Pattern.compile("class=\"vrow[^\"]*\" role=\"option\" id=\"pr-\\d+\" data-pos=\"\\d+\""
        + " data-index=\"(\\d+)\"").matcher(dom);
    while (m.find()) {
      rows.add(m.group(1));
    }
    // A virtual list: the rows in view (and a few more), from the first.
    assertThat(rows.size()).isBetween(10, 29);
    assertThat(rows.get(0)).isEqualTo("0");
  }

  /** A line in another engineer's coming shape must not break the report. */
  @Test
  void readsOtherShapesOfTheResultLineTolerantly() throws IOException {
    Path results = dir.resolve("shapes.jsonl");
    String camel = "{\"id\":\"a\",\"prompt\":\"first\",\"answer\":\"best\",\"best_score\":7.5,"
        + "\"mode\":\"TPO\",\"settings\":{\"samples\":5,\"iterations\":2,\"temperature\":0.7,"
        + "\"topP\":0.95,\"seed\":7,\"tokenBudget\":null},\"model\":\"m\",\"future\":{\"x\":1},"
        + "\"pool\":[{\"index\":0,\"round\":0,\"text\":\"t0\",\"score\":2.5,\"truncated\":false},"
        + "{\"index\":1,\"round\":1,\"text\":\"best\",\"score\":7.5,\"truncated\":false}],"
        + "\"phases\":{\"SAMPLING\":{\"usage\":{\"promptTokens\":10,\"completionTokens\":20,"
        + "\"requests\":1},\"elapsedMillis\":30},\"UPDATE\":{\"usage\":{\"prompt_tokens\":5,"
        + "\"completion_tokens\":6,\"requests\":2},\"elapsed_ms\":7}},"
        + "\"finished_at\":\"2026-12-04T16:29:39.324593651Z\"}";
    String bare = "{\"id\":7,\"prompt\":\"second\",\"score\":3}";
    Files.writeString(results, camel + "\n" + bare + "\n");
    Path html = dir.resolve("shapes.html");
    ReportGenerator.Stats stats = ReportGenerator.write(results, Optional.empty(), html, "t");
    assertThat(stats.prompts()).isEqualTo(2);
    String page = Files.readString(html);
    JsonNode index = JSON.readTree(scriptBody(page, "tpo-index"));
    JsonNode settings = index.get("run").get("settings");
    assertThat(settings.get("mode").asText()).isEqualTo("tpo");
    assertThat(settings.get("top_p").asText()).isEqualTo("0.95");
    assertThat(settings.get("samples").asText()).isEqualTo("5");
    assertThat(settings.has("token_budget")).isFalse();
    assertThat(index.get("run").get("label").asText()).isEqualTo("tpo D2 N5");
    JsonNode first = index.get("prompts").get(0);
    assertThat(first.get("s").asDouble()).isEqualTo(7.5);
    assertThat(first.get("s0").asDouble()).isEqualTo(2.5);
    assertThat(index.get("prompts").get(1).get("s").asDouble()).isEqualTo(3.0);
    assertThat(index.get("prompts").get(1).has("s0")).isFalse();
    JsonNode d0 = JSON.readTree(scriptBody(page, "tpo-d-0"));
    assertThat(d0.get("finished_at").asText()).isEqualTo("2026-12-04T16:29:39Z");
    assertThat(d0.get("answer_round").asInt()).isEqualTo(1);
    assertThat(d0.get("round0_best").get("text").asText()).isEqualTo("t0");
    assertThat(d0.get("phases")).hasSize(2);
    assertThat(d0.get("phases").get(0).get("phase").asText()).isEqualTo("sampling");
    assertThat(d0.get("phases").get(0).get("completion_tokens").asLong()).isEqualTo(20);
    assertThat(d0.get("phases").get(1).get("elapsed_ms").asLong()).isEqualTo(7);
    assertThat(index.get("run").get("phases")).hasSize(2);
  }

  @Test
  void settingsTextBecomesFieldsAndALabel() throws IOException {
    JsonNode line = JSON.readTree("{\"settings\":\"mode=bon model=Qwen/Qwen2.5-7B samples=30"
        + " iterations=0 temperature=0.7 top_p=0.95 seed=7 reward=djl:/models/my reward\"}");
    var s = RunData.settingsOf(line);
    assertThat(s.get("reward")).isEqualTo("djl:/models/my reward");
    assertThat(s.get("model")).isEqualTo("Qwen/Qwen2.5-7B");
    assertThat(s.keySet()).startsWith("mode", "samples", "iterations", "temperature", "top_p");
    assertThat(RunData.labelOf(s, "x.jsonl")).isEqualTo("bon N30");
    assertThat(RunData.labelOf(java.util.Map.of("mode", "tpo", "samples", "5", "iterations", "2"),
        "x.jsonl")).isEqualTo("tpo D2 N5");
    assertThat(RunData.labelOf(java.util.Map.of(), "runs/x.jsonl")).isEqualTo("runs/x");
  }

  @Test
  void aComparisonNeedsTwoRunsAndOneLabelEach() throws IOException {
    Path a = writeRun(dir, 3, 1);
    assertThatThrownBy(() -> ReportGenerator.compare(List.of(a), List.of(), dir.resolve("c.html"),
        "t")).isInstanceOf(ConfigurationException.class).hasMessageContaining("at least two");
    assertThatThrownBy(() -> ReportGenerator.compare(List.of(a, a), List.of("x"),
        dir.resolve("c.html"), "t")).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("one --label per --results");
    ReportGenerator.ComparisonStats stats =
        ReportGenerator.compare(List.of(a, a), List.of(), dir.resolve("c.html"), "t");
    // The same label twice is told apart.
    assertThat(stats.labels()).doesNotHaveDuplicates().hasSize(2);
    assertThat(stats.paired()).isEqualTo(2);
    assertThat(stats.unpaired()).isEqualTo(1);
  }
}
