package dev.tpo.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The report tests' input: real {@code tpo run} output against the simulator (in {@code
 * src/test/resources/dev/tpo/cli/report/sample}: the five prompts of {@code data/sample.json}, run
 * once as TPO D2 N5 with traces and once as {@code --mode bon --samples 15 --iterations 0}), and
 * larger runs made from them.
 *
 * <p>Stateless; thread-safe.
 */
final class ReportFixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TPO = "sample-tpo-d2-n5.jsonl";
  static final String BON = "sample-bon-d0-n15.jsonl";

  private ReportFixtures() {}

  /** The fixture directory (results files and {@code traces/}). */
  static Path sampleDir() {
    try {
      return Path.of(ReportFixtures.class.getResource("sample/" + TPO).toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The lines of a fixture results file. */
  static List<ObjectNode> lines(Path results) {
    try {
      List<ObjectNode> out = new ArrayList<>();
      for (String l : Files.readAllLines(results, StandardCharsets.UTF_8)) {
        if (!l.isBlank()) {
          out.add((ObjectNode) JSON.readTree(l));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path file, List<? extends JsonNode> lines) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (JsonNode l : lines) {
        w.write(JSON.writeValueAsString(l));
        w.write('\n');
      }
    }
  }

  /**
   * A run of {@code n} prompts made from the TPO fixture's lines: prompt {@code i} is fixture line
   * {@code i % 5} with id {@code gen-i}, its prompt text marked with {@code i}, and every
   * candidate's judge score moved by a deterministic amount in [-2, 2] and kept within 0 to 10;
   * {@code score} and {@code initial_best_score} are recomputed from the pool.
   */
  static Path manyPrompts(Path dir, int n) throws IOException {
    List<ObjectNode> base = lines(sampleDir().resolve(TPO));
    Path out = dir.resolve("many-" + n + ".jsonl");
    try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (int i = 0; i < n; i++) {
        ObjectNode line = base.get(i % base.size()).deepCopy();
        line.put("id", "gen-" + i);
        line.put("prompt", "[" + i + "] " + line.get("prompt").asText());
        double best = -1;
        double best0 = -1;
        String answer = "";
        int k = 0;
        for (JsonNode c : (ArrayNode) line.get("pool")) {
          double s = Math.max(0, Math.min(10, c.get("score").asDouble() + ((i * 7 + k * 3) % 5) - 2));
          ((ObjectNode) c).put("score", s);
          if (s > best) {
            best = s;
            answer = c.get("text").asText();
          }
          if (c.get("round").asInt() == 0) {
            best0 = Math.max(best0, s);
          }
          k++;
        }
        line.put("score", best).put("initial_best_score", best0).put("answer", answer);
        line.put("elapsed_ms", 500 + (i * 37) % 4000);
        w.write(JSON.writeValueAsString(line));
        w.write('\n');
      }
    }
    return out;
  }
}
