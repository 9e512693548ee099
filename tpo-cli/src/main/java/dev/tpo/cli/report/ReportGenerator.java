package dev.tpo.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.cli.data.PromptIds;
import dev.tpo.cli.store.ResultsStore;
import dev.tpo.core.error.ConfigurationException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the HTML report of a run: a chart of the best score per round for the whole run and for
 * each prompt, the chosen and rejected responses, critiques and gradients of each round (from the
 * traces), every candidate with its score, and the final answer.
 *
 * <p>The file is self-contained (inline CSS, JavaScript and SVG, no network). It opens fast for
 * thousands of prompts: a small index is parsed at load, each prompt's details sit in their own JSON
 * script element and are parsed only when the prompt is selected, and the list renders 200 rows at
 * a time. Every text reaches the page through {@code textContent} from JSON escaped for script
 * elements, so prompts and answers holding HTML are shown as text, never run.
 *
 * <p>Stateless; thread-safe.
 */
public final class ReportGenerator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DATA_MARK = "<!--TPO:DATA-->";
  private static final int LIST_TEXT = 240;

  private ReportGenerator() {}

  /**
   * What went into a report.
   *
   * <p>Immutable value; thread-safe.
   *
   * @param prompts prompts in the report
   * @param failed prompts whose last line is an error
   * @param withTrace prompts whose trace was found
   * @param skippedLines lines of the results file that could not be read (a partial last line)
   */
  public record Stats(int prompts, int failed, int withTrace, int skippedLines) {}

  /**
   * Writes the report.
   *
   * @param results the JSONL results file of {@code tpo run}
   * @param traceDir the run's trace directory, if any
   * @param output the HTML file to write
   * @param title the page title
   * @return what went into it
   * @throws ConfigurationException when the results file is missing or unreadable
   */
  public static Stats write(Path results, Optional<Path> traceDir, Path output, String title) {
    Objects.requireNonNull(output, "output");
    Map<String, ObjectNode> lines = new LinkedHashMap<>();
    int skipped = readResults(results, lines);
    List<ObjectNode> entries = new ArrayList<>(lines.values());
    ObjectNode index = JSON.createObjectNode();
    index.put("title", title);
    index.put("source", results.getFileName().toString());
    index.put("generated_at", Instant.now().toString());
    ArrayNode list = index.putArray("prompts");
    List<List<Double>> curves = new ArrayList<>();
    int failed = 0;
    int withTrace = 0;
    double sumInitial = 0;
    double sumFinal = 0;
    int scored = 0;
    long tokens = 0;
    long requests = 0;
    List<ObjectNode> details = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      ObjectNode line = entries.get(i);
      String id = line.path("id").asText();
      String prompt = line.path("prompt").asText("");
      ObjectNode row = list.addObject();
      row.put("i", i);
      row.put("id", id);
      row.put("p", prompt.length() > LIST_TEXT ? prompt.substring(0, LIST_TEXT) + "…" : prompt);
      ObjectNode detail = JSON.createObjectNode();
      detail.put("prompt", prompt);
      tokens += line.path("usage").path("prompt_tokens").asLong(0)
          + line.path("usage").path("completion_tokens").asLong(0);
      requests += line.path("usage").path("requests").asLong(0);
      if (line.hasNonNull("error")) {
        failed++;
        row.put("e", line.path("error").asText());
        detail.put("error", line.path("error").asText());
        details.add(detail);
        continue;
      }
      List<Double> curve = bestPerRound(line.path("pool"));
      curves.add(curve);
      ArrayNode c = row.putArray("c");
      curve.forEach(c::add);
      double finalScore = line.path("score").asDouble();
      row.put("s", finalScore);
      if (!curve.isEmpty()) {
        row.put("s0", curve.get(0));
        sumInitial += curve.get(0);
        sumFinal += finalScore;
        scored++;
      }
      detail.put("answer", line.path("answer").asText(""));
      detail.set("pool", line.path("pool"));
      detail.set("usage", line.path("usage"));
      detail.set("elapsed_ms", line.path("elapsed_ms"));
      Optional<JsonNode> trace = traceDir.flatMap(dir -> readTrace(dir, id));
      detail.put("has_trace", trace.isPresent());
      if (trace.isPresent()) {
        withTrace++;
        ArrayNode rounds = detail.putArray("rounds");
        for (JsonNode r : trace.get().path("rounds")) {
          ObjectNode copy = ((ObjectNode) r).deepCopy();
          copy.remove("candidates");
          rounds.add(copy);
        }
      }
      details.add(detail);
    }
    ObjectNode summary = index.putObject("summary");
    summary.put("prompts", entries.size());
    summary.put("done", entries.size() - failed);
    summary.put("failed", failed);
    if (scored > 0) {
      summary.put("mean_initial", sumInitial / scored);
      summary.put("mean_final", sumFinal / scored);
    } else {
      summary.putNull("mean_initial");
      summary.putNull("mean_final");
    }
    summary.put("tokens", tokens);
    summary.put("requests", requests);
    if (!entries.isEmpty()) {
      summary.put("mode", entries.get(0).path("mode").asText(""));
      summary.put("model", entries.get(0).path("model").asText(""));
    }
    ArrayNode runCurve = index.putArray("run_curve");
    runCurve(curves).forEach(runCurve::add);
    writeHtml(output, title, index, details);
    return new Stats(entries.size(), failed, withTrace, skipped);
  }

  /**
   * The best score found up to each round, from a pool of {@code {text, score, round}} entries.
   *
   * @param pool the pool
   * @return one value per round from 0 to the last round present
   */
  static List<Double> bestPerRound(JsonNode pool) {
    int maxRound = -1;
    for (JsonNode c : pool) {
      maxRound = Math.max(maxRound, c.path("round").asInt(0));
    }
    List<Double> out = new ArrayList<>();
    double best = Double.NEGATIVE_INFINITY;
    for (int r = 0; r <= maxRound; r++) {
      for (JsonNode c : pool) {
        if (c.path("round").asInt(0) == r && c.path("score").isNumber()) {
          best = Math.max(best, c.path("score").asDouble());
        }
      }
      out.add(best);
    }
    return out;
  }

  /**
   * The mean over prompts of the best score found up to each round; a prompt with fewer rounds
   * keeps its last value.
   *
   * @param curves one {@link #bestPerRound} curve per prompt
   * @return the mean curve
   */
  static List<Double> runCurve(List<List<Double>> curves) {
    int rounds = curves.stream().mapToInt(List::size).max().orElse(0);
    List<Double> out = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      double sum = 0;
      int n = 0;
      for (List<Double> c : curves) {
        if (!c.isEmpty() && Double.isFinite(c.get(Math.min(r, c.size() - 1)))) {
          sum += c.get(Math.min(r, c.size() - 1));
          n++;
        }
      }
      out.add(n == 0 ? null : sum / n);
    }
    return out;
  }

  private static int readResults(Path results, Map<String, ObjectNode> out) {
    int skipped = 0;
    try (BufferedReader r = Files.newBufferedReader(results, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        Optional<ObjectNode> parsed = ResultsStore.parseLine(line);
        if (parsed.isEmpty()) {
          skipped++;
          continue;
        }
        ObjectNode node = parsed.get();
        String id = node.get("id").asText();
        ObjectNode previous = out.get(id);
        if (previous == null || previous.hasNonNull("error") || !node.hasNonNull("error")) {
          out.put(id, node);
        }
      }
    } catch (NoSuchFileException e) {
      throw new ConfigurationException(
          "no results file " + results + "; pass the --out file of a tpo run to --results");
    } catch (IOException e) {
      throw new ConfigurationException("cannot read the results file " + results + ": " + e, e);
    }
    return skipped;
  }

  private static Optional<JsonNode> readTrace(Path dir, String id) {
    Path file = dir.resolve(PromptIds.fileName(id) + ".json");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(file.toFile());
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void writeHtml(Path output, String title, ObjectNode index,
      List<ObjectNode> details) {
    String template = template();
    int mark = template.indexOf(DATA_MARK);
    String head = template.substring(0, mark).replace("{{TITLE}}", escapeHtml(title));
    String tail = template.substring(mark + DATA_MARK.length());
    try {
      Path parent = output.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (Writer w = new BufferedWriter(
          Files.newBufferedWriter(output, StandardCharsets.UTF_8), 1 << 16)) {
        w.write(head);
        w.write("<script type=\"application/json\" id=\"tpo-index\">");
        w.write(ScriptSafeJson.write(index));
        w.write("</script>\n");
        for (int i = 0; i < details.size(); i++) {
          w.write("<script type=\"application/json\" id=\"tpo-d-" + i + "\">");
          w.write(ScriptSafeJson.write(details.get(i)));
          w.write("</script>\n");
        }
        w.write(tail);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the report " + output + ": " + e + "; choose another -o", e);
    }
  }

  private static String template() {
    try (InputStream in = ReportGenerator.class.getResourceAsStream("report.html")) {
      if (in == null) {
        throw new IllegalStateException("report.html is missing from the tpo jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Escapes text for HTML element content and attribute values.
   *
   * @param s the text
   * @return the escaped text
   */
  static String escapeHtml(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(ch);
      }
    }
    return sb.toString();
  }
}
