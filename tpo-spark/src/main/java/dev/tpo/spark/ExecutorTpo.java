package dev.tpo.spark;

import dev.tpo.Tpo;
import dev.tpo.TpoMode;
import dev.tpo.adapter.balance.BalancedLanguageModel;
import dev.tpo.adapter.balance.BalancedRewardScorer;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.spark.SparkEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Tpo} of this JVM for a {@link TpoJobSpec}: built on first use by the first task that
 * needs it, then shared by every task of the executor (its HTTP clients, connection pools and
 * balancers with it), and closed when the JVM exits. API keys are looked up here, on the
 * executor: from its environment, else from the Spark configuration; they never travel with the
 * spec.
 *
 * <p>Thread-safe.
 */
final class ExecutorTpo {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorTpo.class);
  private static final Map<TpoJobSpec, Built> BUILT = new ConcurrentHashMap<>();
  private static final AtomicInteger BUILDS = new AtomicInteger();

  /** A built instance, the keys it was built with (to scrub messages) and what to close. */
  record Built(Tpo tpo, List<String> secrets, List<AutoCloseable> resources) {}

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ExecutorTpo::closeAll, "tpo-spark-close"));
  }

  private ExecutorTpo() {}

  /**
   * This JVM's instance for the spec, built on first use.
   *
   * @param spec the job's spec
   * @return the instance
   */
  static Built get(TpoJobSpec spec) {
    return BUILT.computeIfAbsent(spec, s -> {
      Built b = build(s, ExecutorTpo::lookup);
      BUILDS.incrementAndGet();
      LOG.info("built the executor's Tpo for {} server(s), model {}", s.baseUrls().size(),
          s.model());
      return b;
    });
  }

  /** @return how many instances this JVM has built (tests) */
  static int builds() {
    return BUILDS.get();
  }

  /**
   * Builds an instance; also used on the driver, with no keys and nothing sent, to check a spec.
   *
   * @param spec the spec
   * @param secrets looks a secret up by environment variable and Spark configuration key
   * @return the instance
   */
  static Built build(TpoJobSpec spec, Function<String[], Optional<String>> secrets) {
    Optional<String> key = secrets.apply(new String[] {spec.apiKeyEnv(),
        TpoJobSpec.POLICY_TOKEN_CONF});
    Optional<String> rewardKey = secrets.apply(new String[] {spec.rewardApiKeyEnv(),
        TpoJobSpec.REWARD_TOKEN_CONF}).or(() -> key);
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      LanguageModel policy = policy(spec, key, resources);
      RewardScorerContext context = RewardScorerContext.DEFAULT.withJudgeModel(policy)
          .withTimeout(spec.timeout())
          .withMaxRetries(spec.rewards().size() == 1 ? spec.maxRetries() : 0);
      if (rewardKey.isPresent()) {
        context = context.withApiKey(rewardKey.get());
      }
      RewardScorer scorer = scorer(spec, context, resources);
      Tpo tpo = Tpo.builder()
          .policy(policy)
          .scorer(scorer)
          .mode(TpoMode.of(spec.mode()))
          .samples(spec.samples())
          .iterations(spec.iterations())
          .temperature(spec.temperature())
          .topP(spec.topP())
          .seed(spec.seed())
          .maxTokens(spec.maxTokens())
          .maxContextTokens(spec.maxContextTokens())
          .earlyStopRounds(spec.earlyStopRounds())
          .earlyStopMargin(spec.earlyStopMargin())
          .stopAtMaxScore(spec.stopAtMaxScore())
          .promptLayout(spec.promptLayout())
          .streamScoring(spec.streamScoring())
          .build();
      List<String> keys = new ArrayList<>();
      key.ifPresent(keys::add);
      rewardKey.filter(k -> !keys.contains(k)).ifPresent(keys::add);
      return new Built(tpo, List.copyOf(keys), List.copyOf(resources));
    } catch (RuntimeException e) {
      close(resources);
      throw e;
    }
  }

  private static LanguageModel policy(TpoJobSpec spec, Optional<String> key,
      List<AutoCloseable> resources) {
    boolean several = spec.baseUrls().size() > 1;
    List<OpenAiCompatibleModel> models = new ArrayList<>();
    for (String url : spec.baseUrls()) {
      OpenAiCompatibleModel.Builder b = OpenAiCompatibleModel.builder()
          .baseUrl(url)
          .model(spec.model())
          .timeout(spec.timeout())
          .maxRetries(several ? 0 : spec.maxRetries())
          .maxConcurrentRequests(spec.maxConcurrentPerEndpoint());
      key.ifPresent(b::apiKey);
      OpenAiCompatibleModel m = b.build();
      resources.add(m);
      models.add(m);
    }
    if (!several) {
      return models.get(0);
    }
    BalancedLanguageModel.Builder b = BalancedLanguageModel.builder()
        .maxConcurrentPerEndpoint(spec.maxConcurrentPerEndpoint())
        .maxAttempts(Math.max(2 * models.size(), spec.maxRetries() + 1))
        .closeEndpoints(false);
    models.forEach(b::endpoint);
    return b.build();
  }

  private static RewardScorer scorer(TpoJobSpec spec, RewardScorerContext context,
      List<AutoCloseable> resources) {
    List<RewardScorer> scorers = new ArrayList<>();
    for (String r : spec.rewards()) {
      RewardScorer s = RewardScorers.fromSpec(r, context);
      if (s instanceof AutoCloseable c) {
        resources.add(0, c);
      }
      scorers.add(s);
    }
    if (scorers.size() == 1) {
      return scorers.get(0);
    }
    BalancedRewardScorer.Builder b = BalancedRewardScorer.builder()
        .maxAttempts(Math.max(2 * scorers.size(), spec.maxRetries() + 1))
        .closeEndpoints(false);
    for (int i = 0; i < scorers.size(); i++) {
      b.endpoint(spec.rewards().get(i), scorers.get(i));
    }
    return b.build();
  }

  /** The executor's secret: its environment variable, else its Spark configuration. */
  private static Optional<String> lookup(String[] envAndConf) {
    String value = System.getenv(envAndConf[0]);
    if ((value == null || value.isBlank()) && SparkEnv.get() != null) {
      value = SparkEnv.get().conf().get(envAndConf[1], null);
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  static void close(List<AutoCloseable> resources) {
    for (AutoCloseable c : resources) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
      }
    }
  }

  private static void closeAll() {
    BUILT.values().forEach(b -> close(b.resources()));
    BUILT.clear();
  }
}
