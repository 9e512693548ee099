package dev.tpo.micrometer;

/**
 * The names of the meters, observations and tags that {@link MicrometerTpoListener} records. Tag
 * names follow the OpenTelemetry GenAI semantic conventions where one fits ({@code
 * gen_ai.request.model}, {@code gen_ai.token.type}, {@code gen_ai.usage.input_tokens}, {@code
 * error.type}); the rest are under {@code tpo.}. No name or value ever carries a prompt, an answer
 * or a credential.
 *
 * <p>Constants only; thread-safe.
 */
public final class TpoMetricNames {
  /** Observation of one run (span {@code tpo.run}); its phases are children. */
  public static final String RUN_OBSERVATION = "tpo.run";
  /** Observation of one phase of a run (span {@code tpo <phase>}). */
  public static final String PHASE_OBSERVATION = "tpo.phase";
  /** Timer of each phase's calls, tagged by phase and model. */
  public static final String PHASE_DURATION = "tpo.phase.duration";
  /** Timer of whole runs, tagged by outcome. */
  public static final String RUN_DURATION = "tpo.run.duration";
  /** Counter of tokens, tagged by phase, model and token type (input or output). */
  public static final String TOKENS = "tpo.tokens";
  /** Counter of failed runs, tagged by the exception type. */
  public static final String RUNS_FAILED = "tpo.runs.failed";
  /** Counter of failed requests, tagged by phase, model and exception type. */
  public static final String PHASE_FAILURES = "tpo.phase.failures";
  /** Gauge of the runs in flight. */
  public static final String RUNS_ACTIVE = "tpo.runs.active";

  /** Tag: the phase, lower case ({@code sampling}, {@code scoring}, {@code loss}, ...). */
  public static final String PHASE = "tpo.phase";
  /** Tag: the model or reward scorer that served a phase (GenAI convention). */
  public static final String MODEL = "gen_ai.request.model";
  /** Tag: the GenAI operation; {@code chat} for the policy's phases. */
  public static final String OPERATION = "gen_ai.operation.name";
  /** Tag: {@code input} or {@code output} tokens (GenAI convention). */
  public static final String TOKEN_TYPE = "gen_ai.token.type";
  /** Tag: the fully qualified class name of a failure (OpenTelemetry convention). */
  public static final String ERROR_TYPE = "error.type";
  /** Tag: how a run ended, {@code success} or {@code failure}. */
  public static final String OUTCOME = "tpo.outcome";
  /** Span attribute: the run's id. */
  public static final String RUN_ID = "tpo.run.id";
  /** Span attribute: the round of a phase (0 for the initial sampling). */
  public static final String ROUND = "tpo.round";
  /** Span attribute: the best reward score of a finished run. */
  public static final String BEST_SCORE = "tpo.best_score";
  /** Span attribute: input (prompt) tokens (GenAI convention). */
  public static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
  /** Span attribute: output (completion) tokens (GenAI convention). */
  public static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";

  /** Tag value of {@link #MODEL} when the event named no model. */
  public static final String UNKNOWN_MODEL = "unknown";

  private TpoMetricNames() {}
}
