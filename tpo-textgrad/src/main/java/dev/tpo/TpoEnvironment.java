package dev.tpo;

import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.error.ConfigurationException;
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
 * precedence, Java system properties:
 *
 * <table>
 *   <caption>Settings of the default instance</caption>
 *   <tr><th>variable</th><th>system property</th><th>meaning</th></tr>
 *   <tr><td>{@code TPO_BASE_URL}</td><td>{@code tpo.baseUrl}</td>
 *       <td>the OpenAI-compatible server of the policy, e.g. {@code http://localhost:8000/v1}
 *       (required)</td></tr>
 *   <tr><td>{@code TPO_MODEL}</td><td>{@code tpo.model}</td>
 *       <td>the model name the server serves (required)</td></tr>
 *   <tr><td>{@code TPO_API_KEY}</td><td>{@code tpo.apiKey}</td>
 *       <td>the policy server's API key (optional)</td></tr>
 *   <tr><td>{@code TPO_REWARD}</td><td>{@code tpo.reward}</td>
 *       <td>the reward scorer spec, e.g. {@code vllm+http://localhost:8001}, {@code judge}
 *       (required)</td></tr>
 *   <tr><td>{@code TPO_REWARD_API_KEY}</td><td>{@code tpo.rewardApiKey}</td>
 *       <td>the reward server's API key (optional)</td></tr>
 * </table>
 *
 * <p>Every other setting has the {@link Tpo#builder()} default. Thread-safe: the shared instance
 * is created once, on first use; a failed attempt is not remembered, so fixing the variables and
 * calling again works.
 */
public final class TpoEnvironment {
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

  private static final Map<String, String> PROPERTIES = Map.of(
      BASE_URL, "tpo.baseUrl", MODEL, "tpo.model", API_KEY, "tpo.apiKey", REWARD, "tpo.reward",
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
   * Its policy model holds HTTP connections; it lives as long as the instance.
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

  static Tpo create(Function<String, String> env, Function<String, String> properties,
      List<RewardScorerProvider> providers) {
    Function<String, String> get = name -> {
      String p = properties.apply(PROPERTIES.get(name));
      String v = p != null && !p.isBlank() ? p : env.apply(name);
      return v == null || v.isBlank() ? null : v.trim();
    };
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
    return Tpo.builder().policy(policy).scorer(scorer).build();
  }
}
