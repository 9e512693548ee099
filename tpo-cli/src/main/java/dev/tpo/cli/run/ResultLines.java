package dev.tpo.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpo.cli.data.Prompt;
import dev.tpo.core.model.TokenUsage;
import java.time.Instant;
import java.util.Map;

/**
 * Builds the JSON of result lines and traces. Field names are snake_case and stable: the report
 * and users' scripts read them. A finished prompt's line is the library's result JSON ({@code
 * TpoResult.toJson()}: settings, pool, rounds, phases, {@code stop_reason}, {@code warnings}, ...)
 * with the command's fields ({@code initial_best_score}, {@code elapsed_ms}, {@code mode}, {@code
 * model}, {@code run_settings}, {@code finished_at}) added, so {@code TpoResult.fromJson} reads
 * it.
 *
 * <p>Stateless; thread-safe.
 */
public final class ResultLines {
  static final ObjectMapper JSON = new ObjectMapper();

  private ResultLines() {}

  /**
   * The result line of a prompt that finished.
   *
   * @param prompt the prompt
   * @param outcome its outcome
   * @param elapsedMs wall time spent on it
   * @param stamp fields added to every line (for example {@code mode} and {@code model})
   * @return the line, without the newline
   */
  public static ObjectNode success(Prompt prompt, PromptOutcome outcome, long elapsedMs,
      Map<String, String> stamp) {
    ObjectNode line = JSON.createObjectNode();
    line.put("id", prompt.id());
    line.put("prompt", prompt.text());
    // The library's result in its one JSON shape (TpoResult.toJson()), so TpoResult.fromJson reads
    // the line back; the command's own fields follow and take precedence.
    outcome.details().ifPresent(d -> d.fields().forEachRemaining(f -> {
      if (!line.has(f.getKey())) {
        line.set(f.getKey(), f.getValue().deepCopy());
      }
    }));
    line.put("answer", outcome.answer());
    line.put("score", outcome.score());
    outcome.initialBestScore().ifPresent(s -> line.put("initial_best_score", s));
    if (!line.has("pool")) {
      ArrayNode pool = line.putArray("pool");
      for (PromptOutcome.Candidate c : outcome.pool()) {
        pool.addObject().put("text", c.text()).put("score", c.score()).put("round", c.round());
      }
    }
    line.set("usage", usage(outcome.usage()));
    line.put("elapsed_ms", elapsedMs);
    stamp.forEach(line::put);
    line.put("finished_at", Instant.now().toString());
    return line;
  }

  /**
   * The result line of a prompt that failed.
   *
   * @param prompt the prompt
   * @param error the failure, its message already free of secrets
   * @param errorType the failure's class name
   * @param elapsedMs wall time spent on it
   * @param stamp fields added to every line
   * @return the line, without the newline
   */
  public static ObjectNode failure(Prompt prompt, String error, String errorType, long elapsedMs,
      Map<String, String> stamp) {
    ObjectNode line = JSON.createObjectNode();
    line.put("id", prompt.id());
    line.put("prompt", prompt.text());
    line.put("error", error);
    line.put("error_type", errorType);
    line.put("elapsed_ms", elapsedMs);
    stamp.forEach(line::put);
    line.put("finished_at", Instant.now().toString());
    return line;
  }

  /**
   * The full trace of a prompt that finished: every round with its chosen and rejected responses,
   * critique (loss) and gradient, the candidates it produced, and the library's own result.
   *
   * @param prompt the prompt
   * @param outcome its outcome
   * @param elapsedMs wall time spent on it
   * @param stamp fields added to every trace
   * @return the trace object
   */
  public static ObjectNode trace(Prompt prompt, PromptOutcome outcome, long elapsedMs,
      Map<String, String> stamp) {
    ObjectNode t = JSON.createObjectNode();
    t.put("id", prompt.id());
    t.put("prompt", prompt.text());
    stamp.forEach(t::put);
    t.put("answer", outcome.answer());
    t.put("score", outcome.score());
    ArrayNode rounds = t.putArray("rounds");
    for (PromptOutcome.RoundTrace r : outcome.rounds()) {
      ObjectNode o = rounds.addObject();
      o.put("round", r.round());
      o.put("best_score", r.bestScore());
      r.chosen().ifPresent(v -> o.put("chosen", v));
      r.rejected().ifPresent(v -> o.put("rejected", v));
      r.loss().ifPresent(v -> o.put("loss", v));
      r.gradient().ifPresent(v -> o.put("gradient", v));
      ArrayNode cands = o.putArray("candidates");
      for (PromptOutcome.Candidate c : outcome.pool()) {
        if (c.round() == r.round()) {
          cands.addObject().put("text", c.text()).put("score", c.score());
        }
      }
    }
    t.set("usage", usage(outcome.usage()));
    t.put("elapsed_ms", elapsedMs);
    outcome.details().ifPresent(d -> t.set("details", d));
    return t;
  }

  private static ObjectNode usage(TokenUsage u) {
    ObjectNode o = JSON.createObjectNode();
    o.put("prompt_tokens", u.promptTokens());
    o.put("completion_tokens", u.completionTokens());
    o.put("requests", u.requests());
    return o;
  }
}
