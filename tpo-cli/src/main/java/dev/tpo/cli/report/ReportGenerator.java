package dev.tpo.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.core.error.ConfigurationException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Builds the HTML report of one run, or the comparison of several runs over the same prompts.
 *
 * <p>One run: the settings, the spread of every candidate's score in each round (a box plot, with
 * the mean best-so-far line on top and each prompt's line on hover or selection), time and tokens
 * per phase, and a sortable, filterable prompt list whose entries open the prompt in full, round 0's
 * best next to the final answer, and each round's chosen and rejected answers with their scores,
 * critique and gradient (from the traces).
 *
 * <p>Several runs ({@link #compare}): prompts paired by id; wins, ties and losses of each run
 * against the first with a sign test and a bootstrap interval (see {@link PairedStats}); the mean
 * reward per round of every run on one chart; tokens and time per prompt; the prompts with the
 * largest differences, each opening both answers side by side; prompts in only some runs listed.
 *
 * <p>The file is self-contained (inline CSS, JavaScript and SVG, no network). It opens fast for
 * tens of thousands of prompts: a small index is parsed at load, each prompt's details sit in their
 * own JSON script element, parsed only when the prompt is opened, and lists render only the rows
 * in view. Every text reaches the page through {@code textContent} from JSON escaped for script
 * elements, so prompts and answers holding HTML are shown as text, never run.
 *
 * <p>Stateless; thread-safe.
 */
public final class ReportGenerator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INDEX_MARK = "<!--TPO:INDEX-->";
  private static final String DETAILS_MARK = "<!--TPO:DETAILS-->";
  private static final int LIST_TEXT = 240;
  private static final List<String> PHASES =
      List.of("sampling", "scoring", "loss", "gradient", "update");

  private ReportGenerator() {}

  /**
   * What went into a report of one run.
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
   * What went into a comparison report.
   *
   * <p>Immutable value; thread-safe.
   *
   * @param labels the runs' labels, in the order given
   * @param paired prompts with a result in every run
   * @param unpaired prompts missing from, or failed in, at least one run (listed in the report)
   * @param skippedLines unreadable lines over all files
   */
  public record ComparisonStats(List<String> labels, int paired, int unpaired,
      int skippedLines) {
    /**
     * Copies the labels.
     *
     * @param labels the runs' labels, in the order given
     * @param paired prompts with a result in every run
     * @param unpaired prompts missing from, or failed in, at least one run
     * @param skippedLines unreadable lines over all files
     */
    public ComparisonStats {
      labels = List.copyOf(labels);
    }
  }

  /**
   * Writes the report of one run.
   *
   * @param results the JSONL results file of {@code tpo run}
   * @param traceDir the run's trace directory, if any
   * @param output the HTML file to write
   * @param title the page title
   * @return what went into it
   * @throws ConfigurationException when the results file is missing or unreadable
   * @throws UncheckedIOException when the report cannot be written
   */
  public static Stats write(Path results, Optional<Path> traceDir, Path output, String title) {
    return write(results, traceDir, Optional.empty(), output, title);
  }

  /**
   * Writes the report of one run.
   *
   * @param results the JSONL results file of {@code tpo run}
   * @param traceDir the run's trace directory, if any
   * @param label the run's label, empty for one made from its settings
   * @param output the HTML file to write
   * @param title the page title
   * @return what went into it
   * @throws ConfigurationException when the results file is missing or unreadable
   * @throws UncheckedIOException when the report cannot be written
   */
  public static Stats write(Path results, Optional<Path> traceDir, Optional<String> label,
      Path output, String title) {
    Objects.requireNonNull(output, "output");
    RunData run = RunData.read(results, traceDir, label);
    ObjectNode index = JSON.createObjectNode();
    index.put("kind", "run");
    index.put("title", title);
    index.put("generated_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    run.scoreRange().ifPresent(r -> index.putArray("score_range").add(r[0]).add(r[1]));
    ObjectNode info = runInfo(run);
    index.set("run", info);
    ArrayNode list = index.putArray("prompts");
    List<ObjectNode> details = new ArrayList<>(run.entries().size());
    int withTrace = 0;
    Map<String, long[]> phaseTotals = new LinkedHashMap<>();
    int withPhases = 0;
    for (int i = 0; i < run.entries().size(); i++) {
      RunData.Entry e = run.entries().get(i);
      ObjectNode row = row(list.addObject(), i, e);
      if (e.failed()) {
        details.add(failureDetail(e));
        continue;
      }
      Optional<JsonNode> trace = run.trace(e);
      if (trace.isPresent()) {
        withTrace++;
      }
      ObjectNode detail = detail(e, trace);
      details.add(detail);
      if (detail.path("phases").size() > 0) {
        withPhases++;
        for (JsonNode p : detail.get("phases")) {
          long[] t = phaseTotals.computeIfAbsent(p.get("phase").asText(), k -> new long[4]);
          t[0] += p.path("requests").asLong();
          t[1] += p.path("prompt_tokens").asLong();
          t[2] += p.path("completion_tokens").asLong();
          t[3] += p.path("elapsed_ms").asLong();
        }
      }
      row.put("w", detail.has("warnings") || detail.has("stop_reason"));
    }
    ArrayNode phases = info.putArray("phases");
    phaseTotals.forEach((name, t) -> phases.addObject().put("phase", name).put("requests", t[0])
        .put("prompt_tokens", t[1]).put("completion_tokens", t[2]).put("elapsed_ms", t[3]));
    info.put("prompts_with_phases", withPhases);
    writeHtml(output, title, index, List.of(details), "tpo-d-");
    return new Stats(run.entries().size(), info.path("summary").path("failed").asInt(), withTrace,
        run.skippedLines());
  }

  /**
   * Writes the comparison of several runs of the same prompts. Each run after the first is
   * compared with the first.
   *
   * @param results the runs' results files, at least two
   * @param labels their labels, one per file, or empty for labels made from the settings
   * @param output the HTML file to write
   * @param title the page title
   * @return what went into it
   * @throws ConfigurationException when a results file is missing or unreadable, or the labels do
   *     not match the files
   * @throws UncheckedIOException when the report cannot be written
   */
  public static ComparisonStats compare(List<Path> results, List<String> labels, Path output,
      String title) {
    Objects.requireNonNull(output, "output");
    if (results.size() < 2) {
      throw new ConfigurationException("a comparison needs at least two --results files, got "
          + results.size());
    }
    if (!labels.isEmpty() && labels.size() != results.size()) {
      throw new ConfigurationException("got " + labels.size() + " --label for " + results.size()
          + " --results; give one --label per --results, in the same order, or none");
    }
    List<RunData> runs = new ArrayList<>();
    for (int k = 0; k < results.size(); k++) {
      runs.add(RunData.read(results.get(k), Optional.empty(),
          labels.isEmpty() ? Optional.empty() : Optional.of(labels.get(k))));
    }
    uniqueLabels(runs);
    ObjectNode index = JSON.createObjectNode();
    index.put("kind", "compare");
    index.put("title", title);
    index.put("generated_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    runs.get(0).scoreRange().ifPresent(r -> index.putArray("score_range").add(r[0]).add(r[1]));
    ArrayNode runInfos = index.putArray("runs");
    List<String> finalLabels = new ArrayList<>();
    int skipped = 0;
    for (RunData run : runs) {
      ObjectNode info = runInfo(run);
      double[] t = run.entries().stream().filter(e -> !e.failed())
          .mapToDouble(RunData.Entry::tokens).toArray();
      double[] ms = run.entries().stream().filter(e -> !e.failed() && e.elapsedMs().isPresent())
          .mapToDouble(e -> e.elapsedMs().getAsLong()).toArray();
      if (t.length > 0) {
        info.set("tokens_dist", Distribution.of(t).into(JSON.createObjectNode()));
      }
      if (ms.length > 0) {
        info.set("ms_dist", Distribution.of(ms).into(JSON.createObjectNode()));
      }
      runInfos.add(info);
      finalLabels.add(run.label());
      skipped += run.skippedLines();
    }
    // Rows: the union of ids, in the order the first run lists them, then the others'.
    Map<String, Integer> rowOf = new LinkedHashMap<>();
    List<RunData.Entry[]> rows = new ArrayList<>();
    for (int k = 0; k < runs.size(); k++) {
      for (RunData.Entry e : runs.get(k).entries()) {
        int r = rowOf.computeIfAbsent(e.id(), id -> {
          rows.add(new RunData.Entry[runs.size()]);
          return rows.size() - 1;
        });
        rows.get(r)[k] = e;
      }
    }
    List<List<ObjectNode>> details = new ArrayList<>();
    List<Map<String, Integer>> detailIndex = new ArrayList<>();
    for (RunData run : runs) {
      List<ObjectNode> d = new ArrayList<>();
      Map<String, Integer> at = new HashMap<>();
      for (RunData.Entry e : run.entries()) {
        at.put(e.id(), d.size());
        d.add(e.failed() ? failureDetail(e) : compareDetail(e));
      }
      details.add(d);
      detailIndex.add(at);
    }
    ArrayNode rowsJson = index.putArray("rows");
    int paired = 0;
    for (RunData.Entry[] row : rows) {
      RunData.Entry any = null;
      boolean all = true;
      for (RunData.Entry e : row) {
        any = any == null ? e : any;
        all &= e != null && !e.failed();
      }
      paired += all ? 1 : 0;
      ObjectNode o = rowsJson.addObject();
      o.put("id", any.id());
      o.put("p", clip(any.prompt()));
      ArrayNode s = o.putArray("s");
      ArrayNode s0 = o.putArray("s0");
      ArrayNode tok = o.putArray("t");
      ArrayNode ms = o.putArray("ms");
      ArrayNode d = o.putArray("d");
      ArrayNode st = o.putArray("st");
      for (int k = 0; k < row.length; k++) {
        RunData.Entry e = row[k];
        addOrNull(s, e == null ? OptionalDouble.empty() : e.score());
        addOrNull(s0, e == null ? OptionalDouble.empty() : e.initialBest());
        if (e == null || e.failed()) {
          tok.addNull();
          ms.addNull();
        } else {
          tok.add(e.tokens());
          if (e.elapsedMs().isPresent()) {
            ms.add(e.elapsedMs().getAsLong());
          } else {
            ms.addNull();
          }
        }
        d.add(e == null ? -1 : detailIndex.get(k).get(e.id()));
        st.add(e == null ? "missing" : e.failed() ? "failed" : "ok");
      }
    }
    ArrayNode pairs = index.putArray("pairs");
    for (int k = 1; k < runs.size(); k++) {
      List<double[]> ab = new ArrayList<>();
      for (RunData.Entry[] row : rows) {
        if (row[0] != null && row[k] != null && row[0].score().isPresent()
            && row[k].score().isPresent()) {
          ab.add(new double[] {row[0].score().getAsDouble(), row[k].score().getAsDouble()});
        }
      }
      PairedStats ps = PairedStats.of(ab.stream().mapToDouble(x -> x[0]).toArray(),
          ab.stream().mapToDouble(x -> x[1]).toArray());
      ObjectNode p = pairs.addObject().put("a", 0).put("b", k).put("paired", ps.paired())
          .put("wins", ps.wins()).put("ties", ps.ties()).put("losses", ps.losses())
          .put("sign_p", ps.signTestP()).put("resamples", ps.resamples());
      putFinite(p, "mean_diff", ps.meanDiff());
      putFinite(p, "ci_low", ps.ciLow());
      putFinite(p, "ci_high", ps.ciHigh());
    }
    writeHtml(output, title, index, details, "tpo-d-");
    return new ComparisonStats(finalLabels, paired, rows.size() - paired, skipped);
  }

  /** Labels must tell runs apart: a repeated one gets its file name added. */
  private static void uniqueLabels(List<RunData> runs) {
    Map<String, Integer> count = new HashMap<>();
    runs.forEach(r -> count.merge(r.label(), 1, Integer::sum));
    for (int k = 0; k < runs.size(); k++) {
      RunData r = runs.get(k);
      if (count.get(r.label()) > 1) {
        runs.set(k, r.withLabel(r.label() + " (" + r.source() + ")"));
      }
    }
    Map<String, Integer> again = new HashMap<>();
    for (int k = 0; k < runs.size(); k++) {
      RunData r = runs.get(k);
      int seen = again.merge(r.label(), 1, Integer::sum);
      if (seen > 1) {
        runs.set(k, r.withLabel(r.label() + " #" + seen));
      }
    }
  }

  /** The run's label, file, settings, summary, mean best-so-far curve and per-round spread. */
  private static ObjectNode runInfo(RunData run) {
    ObjectNode info = JSON.createObjectNode();
    info.put("label", run.label());
    info.put("source", run.source());
    ObjectNode settings = info.putObject("settings");
    run.settings().forEach(settings::put);
    ObjectNode summary = info.putObject("summary");
    int failed = 0;
    double sumInitial = 0;
    double sumFinal = 0;
    int scored = 0;
    long tokens = 0;
    long requests = 0;
    long elapsed = 0;
    String first = null;
    String last = null;
    List<List<Double>> curves = new ArrayList<>();
    Map<Integer, List<Double>> byRound = new java.util.TreeMap<>();
    for (RunData.Entry e : run.entries()) {
      tokens += e.tokens();
      requests += e.requests();
      elapsed += e.elapsedMs().orElse(0);
      if (!e.finishedAt().isEmpty()) {
        first = first == null || e.finishedAt().compareTo(first) < 0 ? e.finishedAt() : first;
        last = last == null || e.finishedAt().compareTo(last) > 0 ? e.finishedAt() : last;
      }
      if (e.failed()) {
        failed++;
        continue;
      }
      curves.add(e.curve());
      for (RunData.Candidate c : e.pool()) {
        byRound.computeIfAbsent(c.round(), r -> new ArrayList<>()).add(c.score());
      }
      if (e.score().isPresent() && e.initialBest().isPresent()) {
        sumInitial += e.initialBest().getAsDouble();
        sumFinal += e.score().getAsDouble();
        scored++;
      }
    }
    summary.put("prompts", run.entries().size());
    summary.put("done", run.entries().size() - failed);
    summary.put("failed", failed);
    summary.put("skipped_lines", run.skippedLines());
    if (scored > 0) {
      summary.put("mean_initial", sumInitial / scored);
      summary.put("mean_final", sumFinal / scored);
    } else {
      summary.putNull("mean_initial");
      summary.putNull("mean_final");
    }
    summary.put("tokens", tokens);
    summary.put("requests", requests);
    summary.put("elapsed_ms", elapsed);
    if (first != null) {
      summary.put("first_finished_at", first);
      summary.put("last_finished_at", last);
    }
    ArrayNode curve = info.putArray("run_curve");
    runCurve(curves).forEach(curve::add);
    ArrayNode dist = info.putArray("dist");
    byRound.forEach((r, scores) -> Distribution.of(
        scores.stream().mapToDouble(Double::doubleValue).toArray())
        .into(dist.addObject().put("round", r)));
    return info;
  }

  /** The list row of a prompt: the few fields the list, the sort and the chart need. */
  private static ObjectNode row(ObjectNode row, int i, RunData.Entry e) {
    row.put("i", i);
    row.put("id", e.id());
    row.put("p", clip(e.prompt()));
    if (e.failed()) {
      row.put("e", e.error().get());
      return row;
    }
    ArrayNode c = row.putArray("c");
    e.curve().forEach(v -> c.add(round4(v)));
    e.score().ifPresent(v -> row.put("s", v));
    e.initialBest().ifPresent(v -> row.put("s0", v));
    row.put("t", e.tokens());
    e.elapsedMs().ifPresent(v -> row.put("ms", v));
    return row;
  }

  private static String clip(String prompt) {
    return prompt.length() > LIST_TEXT ? prompt.substring(0, LIST_TEXT) + "…" : prompt;
  }

  private static double round4(double v) {
    return Double.isFinite(v) ? Math.round(v * 1e4) / 1e4 : v;
  }

  private static ObjectNode failureDetail(RunData.Entry e) {
    ObjectNode d = JSON.createObjectNode();
    d.put("id", e.id());
    d.put("prompt", e.prompt());
    d.put("error", e.error().orElse(""));
    d.put("error_type", e.line().path("error_type").asText(""));
    d.put("finished_at", e.finishedAt());
    e.elapsedMs().ifPresent(v -> d.put("elapsed_ms", v));
    return d;
  }

  /** A prompt's details for the comparison: its text, answer, scores, tokens and time. */
  private static ObjectNode compareDetail(RunData.Entry e) {
    ObjectNode d = JSON.createObjectNode();
    d.put("id", e.id());
    d.put("prompt", e.prompt());
    d.put("answer", e.line().path("answer").asText(""));
    e.score().ifPresent(v -> d.put("score", v));
    e.initialBest().ifPresent(v -> d.put("initial_best_score", v));
    d.put("rounds", e.curve().size());
    d.put("tokens", e.tokens());
    d.put("requests", e.requests());
    e.elapsedMs().ifPresent(v -> d.put("elapsed_ms", v));
    return d;
  }

  /** A prompt's details for the single-run report, parsed by the page when it is opened. */
  private static ObjectNode detail(RunData.Entry e, Optional<JsonNode> trace) {
    ObjectNode line = e.line();
    ObjectNode d = JSON.createObjectNode();
    d.put("id", e.id());
    d.put("prompt", e.prompt());
    String answer = line.path("answer").asText("");
    d.put("answer", answer);
    e.score().ifPresent(v -> d.put("score", v));
    Map<String, Double> scoreOf = new HashMap<>();
    RunData.Candidate best0 = null;
    ArrayNode pool = d.putArray("pool");
    int answerRound = -1;
    for (RunData.Candidate c : e.pool()) {
      pool.addObject().put("text", c.text()).put("score", c.score()).put("round", c.round());
      scoreOf.merge(c.text(), c.score(), Math::max);
      if (c.round() == 0 && (best0 == null || c.score() > best0.score())) {
        best0 = c;
      }
      if (answerRound < 0 && c.text().equals(answer)) {
        answerRound = c.round();
      }
    }
    if (answerRound >= 0) {
      d.put("answer_round", answerRound);
    }
    if (best0 != null) {
      d.putObject("round0_best").put("text", best0.text()).put("score", best0.score());
    }
    ObjectNode usage = d.putObject("usage");
    usage.put("prompt_tokens", e.promptTokens()).put("completion_tokens", e.completionTokens())
        .put("requests", e.requests());
    e.elapsedMs().ifPresent(v -> d.put("elapsed_ms", v));
    d.put("finished_at", e.finishedAt());
    JsonNode warnings = line.get("warnings");
    if (warnings != null && warnings.isArray() && !warnings.isEmpty()) {
      d.set("warnings", warnings);
    }
    if (line.hasNonNull("stop_reason")) {
      d.put("stop_reason", line.get("stop_reason").asText());
      d.put("stop_detail", line.path("stop_detail").asText(""));
    }
    ArrayNode phases = d.putArray("phases");
    phasesOf(line, trace).forEach((name, t) -> phases.addObject().put("phase", name)
        .put("requests", t[0]).put("prompt_tokens", t[1]).put("completion_tokens", t[2])
        .put("elapsed_ms", t[3]));
    d.put("has_trace", trace.isPresent());
    if (trace.isPresent()) {
      ArrayNode rounds = d.putArray("rounds");
      for (JsonNode r : trace.get().path("rounds")) {
        if (!r.isObject()) {
          continue;
        }
        ObjectNode copy = ((ObjectNode) r).deepCopy();
        copy.remove("candidates");
        for (String side : List.of("chosen", "rejected")) {
          if (copy.path(side).isTextual() && !copy.has(side + "_score")
              && scoreOf.containsKey(copy.get(side).asText())) {
            copy.put(side + "_score", scoreOf.get(copy.get(side).asText()));
          }
        }
        rounds.add(copy);
      }
    }
    return d;
  }

  /**
   * Time and tokens per phase of a prompt, from the line's {@code phases} or its trace's ({@code
   * details.phases}, the library's own result): phase name (lower case) to {@code {requests,
   * prompt tokens, completion tokens, milliseconds}}, in the loop's order. Both an object keyed by
   * phase and an array of objects with a {@code phase} field are read, with snake_case or
   * camelCase names.
   *
   * @param line the result line
   * @param trace its trace, if any
   * @return the phases found, empty when neither records them
   */
  static Map<String, long[]> phasesOf(JsonNode line, Optional<JsonNode> trace) {
    JsonNode src = line.get("phases");
    if ((src == null || src.isEmpty()) && trace.isPresent()) {
      src = trace.get().path("details").get("phases");
      if (src == null || src.isEmpty()) {
        src = trace.get().get("phases");
      }
    }
    Map<String, long[]> found = new HashMap<>();
    if (src != null && src.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = src.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> f = it.next();
        found.put(f.getKey().toLowerCase(Locale.ROOT), phaseNumbers(f.getValue()));
      }
    } else if (src != null && src.isArray()) {
      for (JsonNode p : src) {
        if (p.hasNonNull("phase")) {
          found.put(p.get("phase").asText().toLowerCase(Locale.ROOT), phaseNumbers(p));
        }
      }
    }
    Map<String, long[]> ordered = new LinkedHashMap<>();
    PHASES.forEach(p -> {
      if (found.containsKey(p)) {
        ordered.put(p, found.get(p));
      }
    });
    found.forEach(ordered::putIfAbsent);
    return ordered;
  }

  private static long[] phaseNumbers(JsonNode p) {
    JsonNode u = p.has("usage") ? p.get("usage") : p;
    return new long[] {
        RunData.longOf(u, "requests").orElse(0),
        RunData.longOf(u, "prompt_tokens", "promptTokens").orElse(0),
        RunData.longOf(u, "completion_tokens", "completionTokens").orElse(0),
        RunData.longOf(p, "elapsed_ms", "elapsed_millis", "elapsedMillis").orElse(0)};
  }

  /**
   * The mean over prompts of the best score found up to each round; a prompt with fewer rounds
   * keeps its last value.
   *
   * @param curves one best-so-far curve per prompt
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

  private static void addOrNull(ArrayNode a, OptionalDouble v) {
    if (v.isPresent()) {
      a.add(v.getAsDouble());
    } else {
      a.addNull();
    }
  }

  private static void putFinite(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }

  private static void writeHtml(Path output, String title, ObjectNode index,
      List<List<ObjectNode>> details, String idPrefix) {
    // The index, then the page's script, then the details: the page works before the browser has
    // read the details, which are most of the file.
    String template = template();
    int indexAt = template.indexOf(INDEX_MARK);
    int detailsAt = template.indexOf(DETAILS_MARK);
    String head = template.substring(0, indexAt).replace("{{TITLE}}", escapeHtml(title));
    String script = template.substring(indexAt + INDEX_MARK.length(), detailsAt);
    String tail = template.substring(detailsAt + DETAILS_MARK.length());
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
        w.write(script);
        boolean single = details.size() == 1;
        for (int k = 0; k < details.size(); k++) {
          List<ObjectNode> list = details.get(k);
          for (int i = 0; i < list.size(); i++) {
            w.write("<script type=\"application/json\" id=\"" + idPrefix
                + (single ? "" : k + "-") + i + "\">");
            w.write(ScriptSafeJson.write(list.get(i)));
            w.write("</script>\n");
          }
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
