package dev.tpo.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.cli.data.PromptIds;
import dev.tpo.cli.store.ResultsStore;
import dev.tpo.core.error.ConfigurationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One results file of {@code tpo run} as the report reads it: one entry per prompt id (a later
 * success replaces an earlier failure), the run's settings, and each prompt's trace when a trace
 * directory is given.
 *
 * <p>Reading is tolerant: unknown fields are ignored; optional fields ({@code initial_best_score},
 * {@code pool}, {@code usage}, {@code elapsed_ms}, {@code settings}, ...) may be missing; the
 * snake_case names of {@code tpo run} lines and the camelCase names of older {@code
 * TpoResult.toJson()} output are both understood; {@code settings} may be the {@code k=v ...} text
 * of {@code tpo run} or a JSON object.
 *
 * <p>Immutable after {@link #read}; thread-safe.
 */
final class RunData {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Settings shown first, in this order; the rest follow as found. */
  static final List<String> SETTING_ORDER = List.of("mode", "samples", "iterations",
      "temperature", "top_p", "seed", "model", "reward", "max_tokens_response", "max_tokens_all");

  /**
   * One scored candidate.
   *
   * @param text the response
   * @param score its reward
   * @param round the round that produced it
   */
  record Candidate(String text, double score, int round) {}

  /**
   * One prompt of the run.
   *
   * @param id the prompt id
   * @param prompt the full prompt text
   * @param line the result line as read
   * @param error the error of a failed prompt, empty when it finished
   * @param score the final answer's score
   * @param initialBest the best score of round 0
   * @param pool every scored candidate
   * @param curve the best score found up to each round
   * @param promptTokens prompt tokens spent
   * @param completionTokens completion tokens spent
   * @param requests requests sent
   * @param elapsedMs wall time, when recorded
   * @param finishedAt when it finished, to the second, empty when not recorded
   */
  record Entry(String id, String prompt, ObjectNode line, Optional<String> error,
      OptionalDouble score, OptionalDouble initialBest, List<Candidate> pool, List<Double> curve,
      long promptTokens, long completionTokens, long requests, OptionalLong elapsedMs,
      String finishedAt) {
    boolean failed() {
      return error.isPresent();
    }

    long tokens() {
      return promptTokens + completionTokens;
    }
  }

  private final Path file;
  private final Optional<Path> traceDir;
  private final String label;
  private final List<Entry> entries;
  private final int skippedLines;
  private final Map<String, String> settings;

  private RunData(Path file, Optional<Path> traceDir, String label, List<Entry> entries,
      int skippedLines, Map<String, String> settings) {
    this.file = file;
    this.traceDir = traceDir;
    this.label = label;
    this.entries = List.copyOf(entries);
    this.skippedLines = skippedLines;
    this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
  }

  /**
   * Reads a results file.
   *
   * @param results the JSONL results file
   * @param traceDir the run's trace directory, if any
   * @param label the label to show, empty for one made from the settings
   * @return the run
   * @throws ConfigurationException when the file is missing or unreadable
   */
  static RunData read(Path results, Optional<Path> traceDir, Optional<String> label) {
    Map<String, ObjectNode> lines = new LinkedHashMap<>();
    int skipped = readLines(results, lines);
    List<Entry> entries = new ArrayList<>(lines.size());
    Map<String, String> settings = new LinkedHashMap<>();
    for (ObjectNode line : lines.values()) {
      Entry e = entry(line);
      entries.add(e);
      if (settings.isEmpty() && !e.failed()) {
        settings.putAll(settingsOf(line));
      }
    }
    if (settings.isEmpty() && !entries.isEmpty()) {
      settings.putAll(settingsOf(entries.get(0).line()));
    }
    String name = results.getFileName().toString();
    return new RunData(results, traceDir, label.filter(l -> !l.isBlank()).orElseGet(
        () -> labelOf(settings, name)), entries, skipped, settings);
  }

  /**
   * The same run under another label.
   *
   * @param newLabel the label
   * @return the run
   */
  RunData withLabel(String newLabel) {
    return new RunData(file, traceDir, newLabel, entries, skippedLines, settings);
  }

  Path file() {
    return file;
  }

  String source() {
    return file.getFileName().toString();
  }

  String label() {
    return label;
  }

  List<Entry> entries() {
    return entries;
  }

  int skippedLines() {
    return skippedLines;
  }

  Map<String, String> settings() {
    return settings;
  }

  /**
   * The range a score can take, when the reward is bounded: an LLM judge rates from 0 to 10.
   *
   * @return {@code [low, high]}, empty when unbounded or unknown
   */
  Optional<double[]> scoreRange() {
    String reward = settings.getOrDefault("reward", "");
    return reward.equals("judge") || reward.startsWith("judge?")
        ? Optional.of(new double[] {0, 10}) : Optional.empty();
  }

  /**
   * A short label from the settings: {@code tpo D2 N5}, {@code bon N30}; the file name when the
   * lines carry no settings.
   */
  static String labelOf(Map<String, String> settings, String fileName) {
    String mode = settings.get("mode");
    String n = settings.get("samples");
    if (mode == null || n == null) {
      return fileName.replaceFirst("\\.jsonl?$", "");
    }
    String d = settings.get("iterations");
    boolean bon = mode.equalsIgnoreCase("bon") || "0".equals(d);
    return mode.toLowerCase(Locale.ROOT) + (bon || d == null ? "" : " D" + d) + " N" + n;
  }

  /**
   * The settings recorded on a line: the {@code k=v} words of a text {@code settings} (a word
   * without {@code =} belongs to the value before it), or the scalar fields of an object (nested
   * objects flattened with dots), plus {@code mode} and {@code model} from the line itself when
   * the settings lack them. Keys are snake_case ({@code topP} becomes {@code top_p}).
   *
   * @param line a result line
   * @return the settings, known ones first
   */
  static Map<String, String> settingsOf(JsonNode line) {
    Map<String, String> found = new LinkedHashMap<>();
    JsonNode s = line.get("settings");
    if (s != null && s.isTextual()) {
      String key = null;
      for (String word : s.asText().trim().split("\\s+")) {
        int eq = word.indexOf('=');
        if (eq > 0) {
          key = snake(word.substring(0, eq));
          found.put(key, word.substring(eq + 1));
        } else if (key != null && !word.isEmpty()) {
          found.put(key, found.get(key) + " " + word);
        }
      }
    } else if (s != null && s.isObject()) {
      flatten("", s, found);
    }
    for (String k : List.of("mode", "model", "reward")) {
      JsonNode v = line.get(k);
      if (!found.containsKey(k) && v != null && v.isValueNode() && !v.asText().isEmpty()) {
        found.put(k, v.asText());
      }
    }
    if (found.containsKey("mode")) {
      found.put("mode", found.get("mode").toLowerCase(Locale.ROOT));
    }
    Map<String, String> ordered = new LinkedHashMap<>();
    for (String k : SETTING_ORDER) {
      if (found.containsKey(k)) {
        ordered.put(k, found.get(k));
      }
    }
    found.forEach(ordered::putIfAbsent);
    return ordered;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> f = it.next();
      String key = prefix + snake(f.getKey());
      if (f.getValue().isObject()) {
        flatten(key + ".", f.getValue(), out);
      } else if (f.getValue().isValueNode() && !f.getValue().isNull()) {
        out.put(key, f.getValue().asText());
      }
    }
  }

  /** {@code topP} to {@code top_p}; snake_case stays. */
  static String snake(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  private static Entry entry(ObjectNode line) {
    String id = line.path("id").asText();
    String prompt = line.path("prompt").asText("");
    JsonNode usage = line.path("usage");
    long promptTokens = longOf(usage, "prompt_tokens", "promptTokens").orElse(0);
    long completionTokens = longOf(usage, "completion_tokens", "completionTokens").orElse(0);
    long requests = longOf(usage, "requests").orElse(0);
    OptionalLong elapsed = longOf(line, "elapsed_ms", "elapsed_millis", "elapsedMillis");
    String finished = seconds(line.path("finished_at").asText(""));
    if (line.hasNonNull("error")) {
      return new Entry(id, prompt, line, Optional.of(line.get("error").asText()),
          OptionalDouble.empty(), OptionalDouble.empty(), List.of(), List.of(), promptTokens,
          completionTokens, requests, elapsed, finished);
    }
    List<Candidate> pool = new ArrayList<>();
    for (JsonNode c : line.path("pool")) {
      JsonNode score = c.get("score");
      if (score != null && score.isNumber()) {
        pool.add(new Candidate(c.path("text").asText(""), score.asDouble(),
            c.path("round").asInt(0)));
      }
    }
    List<Double> curve = bestPerRound(pool);
    OptionalDouble score = doubleOf(line, "score", "best_score", "bestScore");
    if (score.isEmpty() && !curve.isEmpty()) {
      score = OptionalDouble.of(curve.get(curve.size() - 1));
    }
    OptionalDouble initial = doubleOf(line, "initial_best_score", "initialBestScore");
    if (initial.isEmpty() && !curve.isEmpty()) {
      initial = OptionalDouble.of(curve.get(0));
    }
    return new Entry(id, prompt, line, Optional.empty(), score, initial, List.copyOf(pool),
        curve, promptTokens, completionTokens, requests, elapsed, finished);
  }

  /**
   * The best score found up to each round.
   *
   * @param pool the candidates
   * @return one value per round from 0 to the last round present
   */
  static List<Double> bestPerRound(List<Candidate> pool) {
    int maxRound = pool.stream().mapToInt(Candidate::round).max().orElse(-1);
    double[] best = new double[maxRound + 1];
    java.util.Arrays.fill(best, Double.NEGATIVE_INFINITY);
    for (Candidate c : pool) {
      if (c.round() >= 0) {
        best[c.round()] = Math.max(best[c.round()], c.score());
      }
    }
    List<Double> out = new ArrayList<>(best.length);
    double run = Double.NEGATIVE_INFINITY;
    for (double b : best) {
      run = Math.max(run, b);
      out.add(run);
    }
    return out;
  }

  /** An ISO instant cut to the second ({@code 2026-12-04T16:25:03Z}); other text as it is. */
  static String seconds(String instant) {
    if (instant.isEmpty()) {
      return "";
    }
    try {
      return Instant.parse(instant).truncatedTo(ChronoUnit.SECONDS).toString();
    } catch (DateTimeParseException e) {
      return instant;
    }
  }

  static OptionalLong longOf(JsonNode node, String... names) {
    for (String n : names) {
      JsonNode v = node.get(n);
      if (v != null && v.isNumber()) {
        return OptionalLong.of(v.asLong());
      }
    }
    return OptionalLong.empty();
  }

  static OptionalDouble doubleOf(JsonNode node, String... names) {
    for (String n : names) {
      JsonNode v = node.get(n);
      if (v != null && v.isNumber()) {
        return OptionalDouble.of(v.asDouble());
      }
    }
    return OptionalDouble.empty();
  }

  private static int readLines(Path results, Map<String, ObjectNode> out) {
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
      throw new ConfigurationException("cannot read the results file " + results + ": " + e
          + "; pass the --out file of a tpo run to --results", e);
    }
    return skipped;
  }

  /**
   * The trace of a prompt, read from the trace directory when there is one.
   *
   * @param e the prompt
   * @return its trace, empty when there is no directory or no readable trace for it
   */
  Optional<JsonNode> trace(Entry e) {
    return traceDir.flatMap(dir -> readTrace(dir, e.id()));
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
}
