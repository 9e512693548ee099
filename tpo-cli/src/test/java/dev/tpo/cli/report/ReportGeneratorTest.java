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
    assertThat(index.get("run_curve")).hasSize(3);
    assertThat(index.get("summary").get("failed").asInt()).isEqualTo(1);
  }

  private static String scriptBody(String page, String id) {
    Matcher m = Pattern.compile("<script type=\"application/json\" id=\"" + id + "\">(.*?)</script>",
        Pattern.DOTALL).matcher(page);
    assertThat(m.find()).as(id).isTrue();
    return m.group(1);
  }

  @Test
  void bestPerRoundIsTheRunningMaximum() throws IOException {
    JsonNode pool = JSON.readTree("[{\"score\":1,\"round\":0},{\"score\":3,\"round\":0},"
        + "{\"score\":2,\"round\":1},{\"score\":5,\"round\":2}]");
    assertThat(ReportGenerator.bestPerRound(pool)).containsExactly(3.0, 3.0, 5.0);
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
    assertThat(dom).contains("critique &lt;em&gt;of&lt;/em&gt; round 1");
    assertThat(dom).contains("Explain &lt;/script&gt;&lt;script&gt;alert");
    assertThat(dom).doesNotContain("<b>bold</b>");
    List<String> rows = new ArrayList<>();
    Matcher m = Pattern.compile("<tr class=\"row[^\"]*\" data-index=\"(\\d+)\"").matcher(dom);
    while (m.find()) {
      rows.add(m.group(1));
    }
    assertThat(rows).hasSize(30);
  }
}
