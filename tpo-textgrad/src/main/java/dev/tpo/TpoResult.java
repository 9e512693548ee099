package dev.tpo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tpo.core.event.Phase;
import dev.tpo.core.model.CallRecord;
import dev.tpo.core.model.TokenUsage;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a run produced: the answer (the best-scoring response of the whole pool) and its
 * score, every scored candidate with its round, the initial sampling request, per-round records
 * (loss, gradient and update requests with their responses), token usage and wall time per phase
 * and in total, why the run stopped and the warnings it raised. {@link #toJson()} and {@link
 * #fromJson(String)} round-trip it exactly, in the one JSON shape of a result: snake_case, the
 * shape {@code tpo run} writes to its results file (which adds its own fields, such as {@code
 * model} and {@code finished_at}, that {@link #fromJson(String)} skips). The run id is {@code
 * id}, the best score {@code score}, the wall time {@code elapsed_ms}, and the total {@link
 * #usage()} is written as {@code usage}.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param runId the run's id
 * @param prompt the user's query
 * @param mode the mode's name, for example {@code "TPO"}
 * @param settings the settings the run used
 * @param answer the best response of the whole pool (full text)
 * @param bestScore its score
 * @param bestIndex its pool index
 * @param pool every scored candidate, in the order added
 * @param sampling the initial sampling request and its choices
 * @param rounds one record per refinement round that started
 * @param phases token usage and wall time per phase (phases that did not run are absent)
 * @param elapsedMillis wall time of the whole run, in milliseconds
 * @param stopReason why refinement stopped
 * @param stopDetail a sentence on why it stopped, empty when it completed
 * @param warnings what degraded without failing the run, in order
 */
public record TpoResult(
    @JsonProperty("id") String runId,
    String prompt,
    String mode,
    TpoSettings settings,
    String answer,
    @JsonProperty("score") double bestScore,
    int bestIndex,
    List<PoolEntry> pool,
    CallRecord sampling,
    List<RoundRecord> rounds,
    Map<Phase, PhaseStats> phases,
    @JsonProperty("elapsed_ms") long elapsedMillis,
    StopReason stopReason,
    String stopDetail,
    List<String> warnings) {

  /**
   * Validates and copies the fields.
   *
   * @param runId the run's id
   * @param prompt the user's query
   * @param mode the mode's name, for example {@code "TPO"}
   * @param settings the settings the run used
   * @param answer the best response of the whole pool (full text)
   * @param bestScore its score
   * @param bestIndex its pool index
   * @param pool every scored candidate, in the order added
   * @param sampling the initial sampling request and its choices
   * @param rounds one record per refinement round that started
   * @param phases token usage and wall time per phase (phases that did not run are absent)
   * @param elapsedMillis wall time of the whole run, in milliseconds
   * @param stopReason why refinement stopped
   * @param stopDetail a sentence on why it stopped, empty when it completed
   * @param warnings what degraded without failing the run, in order
   */
  public TpoResult {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(answer, "answer");
    pool = List.copyOf(pool);
    Objects.requireNonNull(sampling, "sampling");
    rounds = List.copyOf(rounds);
    EnumMap<Phase, PhaseStats> copy = new EnumMap<>(Phase.class);
    copy.putAll(phases);
    phases = Collections.unmodifiableMap(copy);
    Objects.requireNonNull(stopReason, "stopReason");
    stopDetail = stopDetail == null ? "" : stopDetail;
    warnings = List.copyOf(warnings);
    if (bestIndex < 0 || bestIndex >= pool.size()) {
      throw new IllegalArgumentException(
          "TpoResult.bestIndex " + bestIndex + " is outside the pool of " + pool.size());
    }
  }

  /**
   * The pool entry of the answer.
   *
   * @return the best entry
   */
  @JsonIgnore
  public PoolEntry best() {
    return pool.get(bestIndex);
  }

  /**
   * Token usage of the run over all phases: the tokens and requests of the policy (and critic)
   * requests, plus the tokens an LLM-judge scorer spent (its requests are not counted here; the
   * scoring phase's {@code requests} counts scoring calls).
   *
   * @return the total
   */
  @JsonProperty(value = "usage", access = JsonProperty.Access.READ_ONLY)
  public TokenUsage usage() {
    TokenUsage total = TokenUsage.ZERO;
    for (Map.Entry<Phase, PhaseStats> e : phases.entrySet()) {
      TokenUsage u = e.getValue().usage();
      total = total.plus(e.getKey() == Phase.SCORING
          ? new TokenUsage(u.promptTokens(), u.completionTokens(), 0) : u);
    }
    return total;
  }

  /**
   * Token usage and wall time of one phase.
   *
   * @param phase the phase
   * @return its stats, {@link PhaseStats#ZERO} when it did not run
   */
  public PhaseStats phase(Phase phase) {
    return phases.getOrDefault(phase, PhaseStats.ZERO);
  }

  /**
   * Wall time of the whole run.
   *
   * @return the duration
   */
  @JsonIgnore
  public Duration elapsed() {
    return Duration.ofMillis(elapsedMillis);
  }

  /**
   * The result as compact JSON.
   *
   * @return the JSON text
   */
  public String toJson() {
    return ResultJson.write(this, false);
  }

  /**
   * The result as indented JSON.
   *
   * @return the JSON text
   */
  public String toPrettyJson() {
    return ResultJson.write(this, true);
  }

  /**
   * Reads a result written by {@link #toJson()}, or a result line of {@code tpo run}'s results
   * file (the same shape with the command's fields added, which are skipped).
   *
   * @param json the JSON text
   * @return the result, equal to the one written
   * @throws dev.tpo.core.error.MalformedResponseException when the text is not such a result
   */
  public static TpoResult fromJson(String json) {
    return ResultJson.read(json);
  }
}
