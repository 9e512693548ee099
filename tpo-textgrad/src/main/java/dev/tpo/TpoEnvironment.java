package dev.tpo;

import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.model.LanguageModelProvider;
import dev.tpo.core.model.LanguageModels;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorerProvider;
import dev.tpo.core.reward.RewardScorers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the {@link Tpo} behind {@link Tpo#defaults()} from environment variables or, taking
 * precedence, Java system properties. The policy is, in this order: the model {@code TPO_POLICY}
 * names, run in process ({@code llama:/path/model.gguf}, {@code hf:OWNER/REPO/FILE.gguf}; found
 * through {@link LanguageModels}, so its module, {@code dev.tpo:tpo-llamacpp}, must be on the class
 * path); the server at {@code TPO_BASE_URL}; else, with neither set, the embedded default model
 * ({@link LanguageModels#embeddedDefault()}: with tpo-llamacpp, a small instruct model run in
 * process on CPU, downloaded once into a cache). An in-process policy is graded by the LLM judge
 * on the same model unless {@code TPO_REWARD} says otherwise.
 *
 * <table>
 *   <caption>Settings of the default instance</caption>
 *   <tr><th>variable</th><th>system property</th><th>meaning</th></tr>
 *   <tr><td>{@code TPO_POLICY}</td><td>{@code tpo.policy}</td>
 *       <td>a policy model run in process, e.g. {@code llama:/models/x.gguf} or {@code
 *       hf:OWNER/REPO/FILE.gguf[@REVISION]} (optional; wins over {@code TPO_BASE_URL})</td></tr>
 *   <tr><td>{@code TPO_BASE_URL}</td><td>{@code tpo.baseUrl}</td>
 *       <td>the OpenAI-compatible server of the policy, e.g. {@code http://localhost:8000/v1}
 *       (optional: without it and {@code TPO_POLICY}, the embedded default model)</td></tr>
 *   <tr><td>{@code TPO_MODEL}</td><td>{@code tpo.model}</td>
 *       <td>the model name the server serves (required with {@code TPO_BASE_URL})</td></tr>
 *   <tr><td>{@code TPO_API_KEY}</td><td>{@code tpo.apiKey}</td>
 *       <td>the policy server's API key (optional)</td></tr>
 *   <tr><td>{@code TPO_REWARD}</td><td>{@code tpo.reward}</td>
 *       <td>the reward scorer spec, e.g. {@code vllm+http://localhost:8001}, {@code judge}
 *       (required with {@code TPO_BASE_URL}; else {@code judge} by default)</td></tr>
 *   <tr><td>{@code TPO_REWARD_API_KEY}</td><td>{@code tpo.rewardApiKey}</td>
 *       <td>the reward server's API key (optional)</td></tr>
 *   <tr><td>{@code TPO_SAMPLES}, {@code TPO_ITERATIONS}, {@code TPO_TEMPERATURE}, {@code
 *       TPO_TOP_P}, {@code TPO_SEED}, {@code TPO_MAX_TOKENS}, {@code TPO_MAX_CONTEXT_TOKENS}</td>
 *       <td>(none)</td><td>{@link TpoSettings} fields (optional; {@link #settings()})</td></tr>
 *   <tr><td>{@code TPO_EARLY_STOP_ROUNDS}, {@code TPO_EARLY_STOP_MARGIN}, {@code
 *       TPO_STOP_AT_MAX_SCORE} ({@code true} or {@code false}), {@code TPO_PROMPT_LAYOUT} ({@code
 *       reference} or {@code prefix-shared})</td>
 *       <td>(none)</td><td>{@link TpoSettings} fields: early stop and the prompt layout (optional;
 *       {@link #settings()})</td></tr>
 * </table>
 *
 * <p>Every other setting has the {@link Tpo#builder()} default; options of the builder that are
 * not {@link TpoSettings} fields, as {@link TpoBuilder#streamScoring}, have no variable. Thread-safe: the shared instance
 * is created once, on first use; a failed attempt is not remembered, so fixing the variables and
 * calling again works.
 */
public final class TpoEnvironment {
  /** Environment variable of an in-process policy model spec, e.g. {@code llama:/m.gguf}. */
  public static final String POLICY = "TPO_POLICY";
  /** Environment variable of the policy server's URL. */
  public static final String BASE_URL = "TPO_BASE_URL";
  /** Environment variable of the policy model's name. */
  public static final String MODEL = "TPO_MODEL";
  /** Environment variable of the policy server's API key. */
  public static final String API_KEY = "TPO_API_KEY";
  /** Environment variable of the reward scorer spec. */
  public static final String REWARD = "TPO_REWARD";
  /** Environment variable of the reward server's API key. */
  public static final String REWARD_API_KEY = "TPO_REWARD_API_KEY";

  /** Environment variable of N, {@link TpoSettings#samples()}. */
  public static final String SAMPLES = "TPO_SAMPLES";
  /** Environment variable of D, {@link TpoSettings#iterations()}. */
  public static final String ITERATIONS = "TPO_ITERATIONS";
  /** Environment variable of {@link TpoSettings#temperature()}. */
  public static final String TEMPERATURE = "TPO_TEMPERATURE";
  /** Environment variable of {@link TpoSettings#topP()}. */
  public static final String TOP_P = "TPO_TOP_P";
  /** Environment variable of {@link TpoSettings#seed()}. */
  public static final String SEED = "TPO_SEED";
  /** Environment variable of {@link TpoSettings#maxTokens()}. */
  public static final String MAX_TOKENS = "TPO_MAX_TOKENS";
  /** Environment variable of {@link TpoSettings#maxContextTokens()}. */
  public static final String MAX_CONTEXT_TOKENS = "TPO_MAX_CONTEXT_TOKENS";
  /** Environment variable of k, {@link TpoSettings#earlyStopRounds()}. */
  public static final String EARLY_STOP_ROUNDS = "TPO_EARLY_STOP_ROUNDS";
  /** Environment variable of {@link TpoSettings#earlyStopMargin()}. */
  public static final String EARLY_STOP_MARGIN = "TPO_EARLY_STOP_MARGIN";
  /** Environment variable of {@link TpoSettings#stopAtMaxScore()}: {@code true} or {@code false}. */
  public static final String STOP_AT_MAX_SCORE = "TPO_STOP_AT_MAX_SCORE";
  /**
   * Environment variable of {@link TpoSettings#promptLayout()}: {@code reference} or {@code
   * prefix-shared} ({@link PromptLayout#of}).
   */
  public static final String PROMPT_LAYOUT = "TPO_PROMPT_LAYOUT";

  private static final Map<String, String> PROPERTIES = Map.of(
      POLICY, "tpo.policy", BASE_URL, "tpo.baseUrl", MODEL, "tpo.model", API_KEY, "tpo.apiKey", REWARD, "tpo.reward",
      REWARD_API_KEY, "tpo.rewardApiKey");

  private static volatile Tpo shared;

  private TpoEnvironment() {}

  static Tpo shared() {
    Tpo t = shared;
    if (t == null) {
      synchronized (TpoEnvironment.class) {
        t = shared;
        if (t == null) {
          t = create();
          shared = t;
        }
      }
    }
    return t;
  }

  /**
   * A new instance configured from the process's environment variables and system properties.
   * Its policy model holds HTTP connections, or a model loaded in process (each call loads it
   * again: share the instance, as {@link Tpo#defaults()} does); it lives as long as the instance.
   *
   * @return the instance
   * @throws ConfigurationException naming every missing variable and property
   */
  public static Tpo create() {
    return create(System::getenv, System::getProperty);
  }

  /**
   * A new instance configured from the given lookups (for tests and embedding).
   *
   * @param env looks up an environment variable, null when absent
   * @param properties looks up a system property, null when absent
   * @return the instance
   * @throws ConfigurationException naming every missing variable and property
   */
  public static Tpo create(Function<String, String> env, Function<String, String> properties) {
    return create(env, properties, RewardScorers.providers());
  }

  /**
   * The settings the process's environment variables set ({@value #SAMPLES}, {@value #ITERATIONS},
   * {@value #TEMPERATURE}, {@value #TOP_P}, {@value #SEED}, {@value #MAX_TOKENS}, {@value
   * #MAX_CONTEXT_TOKENS}, {@value #EARLY_STOP_ROUNDS}, {@value #EARLY_STOP_MARGIN}, {@value
   * #STOP_AT_MAX_SCORE}, {@value #PROMPT_LAYOUT}); the others unset. {@link #create()} applies
   * them.
   *
   * @return the settings
   * @throws ConfigurationException naming the variable when one is not a number (a boolean, a
   *     layout) or out of range
   */
  public static TpoSettings settings() {
    return settings(System::getenv);
  }

  /**
   * The settings the given variables set; see {@link #settings()}.
   *
   * @param env looks up a variable, null when absent
   * @return the settings
   * @throws ConfigurationException naming the variable when one is not a number (a boolean, a
   *     layout) or out of range
   */
  public static TpoSettings settings(Function<String, String> env) {
    try {
      return TpoSettings.builder().samples(number(env, SAMPLES, Integer::valueOf))
          .iterations(number(env, ITERATIONS, Integer::valueOf))
          .temperature(number(env, TEMPERATURE, Double::valueOf))
          .topP(number(env, TOP_P, Double::valueOf))
          .seed(number(env, SEED, Long::valueOf))
          .maxTokens(number(env, MAX_TOKENS, Integer::valueOf))
          .maxContextTokens(number(env, MAX_CONTEXT_TOKENS, Integer::valueOf))
          .earlyStopRounds(number(env, EARLY_STOP_ROUNDS, Integer::valueOf))
          .earlyStopMargin(number(env, EARLY_STOP_MARGIN, Double::valueOf))
          .stopAtMaxScore(bool(env, STOP_AT_MAX_SCORE))
          .promptLayout(layout(env, PROMPT_LAYOUT))
          .build();
    } catch (ConfigurationException e) {
      throw new ConfigurationException(outOfRange(e.getMessage(), env), e);
    }
  }

  /** The variable behind each settings field, for range errors. */
  private static final Map<String, String> VARIABLE_OF_FIELD = Map.ofEntries(
      Map.entry("samples", SAMPLES), Map.entry("iterations", ITERATIONS),
      Map.entry("temperature", TEMPERATURE), Map.entry("topP", TOP_P), Map.entry("seed", SEED),
      Map.entry("maxTokens", MAX_TOKENS), Map.entry("maxContextTokens", MAX_CONTEXT_TOKENS),
      Map.entry("earlyStopRounds", EARLY_STOP_ROUNDS),
      Map.entry("earlyStopMargin", EARLY_STOP_MARGIN));

  private static final java.util.regex.Pattern FIELD_RANGE =
      java.util.regex.Pattern.compile("TPO setting '(\\w+)' (must be [^;]*)");

  /**
   * A settings range error told in the variable's terms: {@code TPO_SAMPLES=0: must be between 1
   * and 64, got 0; unset TPO_SAMPLES or give a value in range}, not the builder's field and fix.
   */
  private static String outOfRange(String message, Function<String, String> env) {
    java.util.regex.Matcher m = FIELD_RANGE.matcher(message);
    if (m.find() && VARIABLE_OF_FIELD.containsKey(m.group(1))) {
      String variable = VARIABLE_OF_FIELD.get(m.group(1));
      return variable + "=" + String.valueOf(env.apply(variable)).trim() + ": " + m.group(2)
          + "; unset " + variable + " or give a value in range";
    }
    return "the TPO_* environment variables: " + message;
  }

  private static <T> T number(Function<String, String> env, String name,
      Function<String, T> parse) {
    String v = env.apply(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return parse.apply(v.trim());
    } catch (NumberFormatException e) {
      throw new ConfigurationException(
          name + " is not a number: '" + v + "'; unset it or give a number", e);
    }
  }

  private static Boolean bool(Function<String, String> env, String name) {
    String v = env.apply(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    if (v.trim().equalsIgnoreCase("true")) {
      return true;
    }
    if (v.trim().equalsIgnoreCase("false")) {
      return false;
    }
    throw new ConfigurationException(
        name + " is not true or false: '" + v + "'; unset it or give true or false");
  }

  private static PromptLayout layout(Function<String, String> env, String name) {
    String v = env.apply(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return PromptLayout.of(v);
    } catch (ConfigurationException e) {
      throw new ConfigurationException(name + " is not a prompt layout: '" + v
          + "'; unset it or give reference or prefix-shared", e);
    }
  }

  static Tpo create(Function<String, String> env, Function<String, String> properties,
      List<RewardScorerProvider> providers) {
    return create(env, properties, providers, LanguageModels.providers());
  }

  static Tpo create(Function<String, String> env, Function<String, String> properties,
      List<RewardScorerProvider> providers, List<LanguageModelProvider> modelProviders) {
    Function<String, String> get = name -> {
      String p = properties.apply(PROPERTIES.get(name));
      String v = p != null && !p.isBlank() ? p : env.apply(name);
      return v == null || v.isBlank() ? null : v.trim();
    };
    TpoSettings settings = settings(env);
    if (get.apply(POLICY) != null || get.apply(BASE_URL) == null) {
      return inProcess(get, settings, providers, modelProviders);
    }
    List<String> missing = new ArrayList<>();
    for (String required : List.of(BASE_URL, MODEL, REWARD)) {
      if (get.apply(required) == null) {
        missing.add(required + " (or -D" + PROPERTIES.get(required) + ")");
      }
    }
    if (!missing.isEmpty()) {
      throw new ConfigurationException(
          "Tpo.defaults() needs " + String.join(", ", missing) + ". Set for example "
              + BASE_URL + "=http://localhost:8000/v1 " + MODEL + "=<served model name> "
              + REWARD + "=vllm+http://localhost:8001 (optional: " + API_KEY + ", "
              + REWARD_API_KEY + "), or build your own with Tpo.builder()");
    }
    OpenAiCompatibleModel policy = OpenAiCompatibleModel.builder()
        .baseUrl(get.apply(BASE_URL))
        .model(get.apply(MODEL))
        .apiKey(get.apply(API_KEY))
        .build();
    RewardScorerContext context = RewardScorerContext.DEFAULT.withJudgeModel(policy);
    String rewardKey = get.apply(REWARD_API_KEY);
    if (rewardKey != null) {
      context = context.withApiKey(rewardKey);
    }
    RewardScorer scorer;
    try {
      scorer = RewardScorers.fromSpec(get.apply(REWARD), context, providers);
    } catch (RuntimeException e) {
      policy.close();
      throw e;
    }
    return Tpo.builder().policy(policy).scorer(scorer).settings(settings).build();
  }

  /**
   * The instance on an in-process model: the one {@code TPO_POLICY} names, else the embedded
   * default; graded by {@code TPO_REWARD}, else the judge on the same model.
   */
  private static Tpo inProcess(Function<String, String> get, TpoSettings settings,
      List<RewardScorerProvider> providers, List<LanguageModelProvider> modelProviders) {
    String spec = get.apply(POLICY);
    LanguageModel policy;
    if (spec != null) {
      policy = LanguageModels.fromSpec(spec, modelProviders);
    } else if (modelProviders.stream().anyMatch(p -> p.embeddedDefaultSpec().isPresent())) {
      policy = LanguageModels.embeddedDefault(modelProviders);
    } else {
      throw new ConfigurationException(
          "Tpo.defaults() has no policy: " + BASE_URL + " (or -D" + PROPERTIES.get(BASE_URL)
              + ") and " + POLICY + " are unset, and no embedded model is on the class path."
              + " Add the dependency dev.tpo:tpo-llamacpp (a small model run in process, used"
              + " when nothing is set), or set " + BASE_URL + "=http://localhost:8000/v1 "
              + MODEL + " (or -D" + PROPERTIES.get(MODEL) + ")=<served model name> " + REWARD
              + " (or -D" + PROPERTIES.get(REWARD) + ")=vllm+http://localhost:8001 (optional: "
              + API_KEY + ", " + REWARD_API_KEY + "), or build your own with Tpo.builder()");
    }
    try {
      RewardScorerContext context = RewardScorerContext.DEFAULT.withJudgeModel(policy);
      String rewardKey = get.apply(REWARD_API_KEY);
      if (rewardKey != null) {
        context = context.withApiKey(rewardKey);
      }
      String reward = get.apply(REWARD);
      RewardScorer scorer = RewardScorers.fromSpec(reward == null ? "judge" : reward, context,
          providers);
      return Tpo.builder().policy(policy).scorer(scorer).settings(settings).build();
    } catch (RuntimeException e) {
      if (policy instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }
}
