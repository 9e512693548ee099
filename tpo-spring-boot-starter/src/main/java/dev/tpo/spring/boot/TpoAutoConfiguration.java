package dev.tpo.spring.boot;

import dev.tpo.Tpo;
import dev.tpo.PromptLayout;
import dev.tpo.TpoBuilder;
import dev.tpo.TpoMode;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.event.TpoListener;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorers;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures TPO from the {@code tpo.*} properties: the policy {@link LanguageModel} (an
 * {@link OpenAiCompatibleModel}), the {@link RewardScorer} (from {@code tpo.reward.spec}) and the
 * {@link Tpo}, each only when the application has not defined a bean of that type. Every {@link
 * TpoListener} bean is passed to the {@code Tpo}, in {@code @Order} order, and every {@link
 * TpoBuilderCustomizer} bean adjusts it.
 *
 * <p>A missing or invalid property fails the context with a message naming the property to set.
 * Thread-safe: the beans it creates are.
 */
@AutoConfiguration
@ConditionalOnClass(Tpo.class)
@EnableConfigurationProperties(TpoProperties.class)
public class TpoAutoConfiguration {
  /** The API root used when {@code tpo.policy.base-url} is not set. */
  public static final String OPENAI_BASE_URL = "https://api.openai.com/v1";

  /** Creates the auto-configuration; Spring calls it. */
  public TpoAutoConfiguration() {}

  /**
   * The policy model: an OpenAI-compatible server from {@code tpo.policy.*}.
   *
   * @param properties the properties
   * @return the model; Spring closes it with the context
   * @throws ConfigurationException naming the property when one is missing or invalid
   */
  @Bean
  @ConditionalOnMissingBean(LanguageModel.class)
  public OpenAiCompatibleModel tpoPolicyModel(TpoProperties properties) {
    TpoProperties.Policy p = properties.policy();
    if (blank(p.model())) {
      throw new ConfigurationException("tpo.policy.model is not set: set it to the model name"
          + " the policy server serves, for example tpo.policy.model=Qwen/Qwen2.5-7B-Instruct");
    }
    String baseUrl = blank(p.baseUrl()) ? OPENAI_BASE_URL : p.baseUrl().trim();
    if (blank(p.baseUrl()) && blank(p.apiKey())) {
      throw new ConfigurationException("tpo.policy.api-key is not set: OpenAI (the default when"
          + " tpo.policy.base-url is not set) needs it; set tpo.policy.api-key (for example from"
          + " an environment variable: tpo.policy.api-key=${OPENAI_API_KEY}), or point"
          + " tpo.policy.base-url at your own OpenAI-compatible server");
    }
    return property("tpo.policy", () -> {
      OpenAiCompatibleModel.Builder b = OpenAiCompatibleModel.builder()
          .baseUrl(baseUrl).model(p.model().trim()).apiKey(p.apiKey());
      set(p.timeout(), b::timeout);
      set(p.maxRetries(), b::maxRetries);
      set(p.maxConcurrentRequests(), b::maxConcurrentRequests);
      return b.build();
    });
  }

  /**
   * The reward scorer named by {@code tpo.reward.spec}.
   *
   * @param properties the properties
   * @param policy the policy model (the judge of the {@code judge} spec)
   * @return the scorer; Spring closes it with the context when it holds resources
   * @throws ConfigurationException naming the property when it is missing or invalid
   */
  @Bean
  @ConditionalOnMissingBean(RewardScorer.class)
  public RewardScorer tpoRewardScorer(TpoProperties properties, LanguageModel policy) {
    TpoProperties.Reward r = properties.reward();
    if (blank(r.spec())) {
      throw new ConfigurationException("tpo.reward.spec is not set: set the reward scorer, for"
          + " example tpo.reward.spec=vllm+http://localhost:8001 (a vLLM reward model),"
          + " tei+http://localhost:8080, judge (the policy as an LLM judge) or djl:/path/to/model"
          + " (with tpo-reward-djl), or define a RewardScorer bean");
    }
    return property("tpo.reward.spec", () -> {
      RewardScorerContext context = RewardScorerContext.DEFAULT.withJudgeModel(policy);
      if (!blank(r.apiKey())) {
        context = context.withApiKey(r.apiKey());
      }
      if (r.timeout() != null) {
        context = context.withTimeout(r.timeout());
      }
      if (r.maxRetries() != null) {
        context = context.withMaxRetries(r.maxRetries());
      }
      return RewardScorers.fromSpec(r.spec().trim(), context);
    });
  }

  /**
   * TPO with the policy, the scorer, the listeners and the {@code tpo.*} settings.
   *
   * @param properties the properties
   * @param policy the policy model
   * @param scorer the reward scorer
   * @param listeners every {@link TpoListener} bean
   * @param customizers every {@link TpoBuilderCustomizer} bean
   * @return the configured {@code Tpo}
   * @throws ConfigurationException naming the property when a setting is invalid
   */
  @Bean
  @ConditionalOnMissingBean(Tpo.class)
  public Tpo tpo(TpoProperties properties, LanguageModel policy, RewardScorer scorer,
      ObjectProvider<TpoListener> listeners, ObjectProvider<TpoBuilderCustomizer> customizers) {
    List<TpoListener> all = listeners.orderedStream().toList();
    TpoBuilder b = Tpo.builder().policy(policy).scorer(scorer)
        .listener(all.isEmpty() ? TpoListener.NONE
            : all.size() == 1 ? all.get(0) : TpoListener.composite(all));
    if (!blank(properties.mode())) {
      b.mode(mode(properties.mode()));
    }
    set(properties.samples(), b::samples);
    set(properties.iterations(), b::iterations);
    set(properties.temperature(), b::temperature);
    set(properties.topP(), b::topP);
    set(properties.seed(), b::seed);
    set(properties.maxTokens(), b::maxTokens);
    set(properties.maxContextTokens(), b::maxContextTokens);
    set(properties.responseTruncationTokens(), b::responseTruncationTokens);
    set(properties.tokenBudget(), b::tokenBudget);
    set(properties.timeLimit(), b::timeLimit);
    set(properties.earlyStopRounds(), b::earlyStopRounds);
    set(properties.earlyStopMargin(), b::earlyStopMargin);
    set(properties.stopAtMaxScore(), b::stopAtMaxScore);
    if (!blank(properties.promptLayout())) {
      b.promptLayout(promptLayout(properties.promptLayout()));
    }
    set(properties.streamScoring(), b::streamScoring);
    customizers.orderedStream().forEach(c -> c.customize(b));
    return property("tpo", b::build);
  }

  private static TpoMode mode(String name) {
    switch (name.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
      case "tpo":
        return TpoMode.TPO;
      case "revision":
        return TpoMode.REVISION;
      case "best-of-n":
      case "bon":
        return TpoMode.BEST_OF_N;
      default:
        throw new ConfigurationException("tpo.mode: unknown mode '" + name
            + "'; use tpo, revision or best-of-n");
    }
  }

  private static PromptLayout promptLayout(String name) {
    try {
      return PromptLayout.of(name);
    } catch (ConfigurationException e) {
      throw new ConfigurationException("tpo.prompt-layout: unknown prompt layout '" + name
          + "'; use reference or prefix-shared", e);
    }
  }

  /** Runs a library call and names the property behind a configuration failure. */
  private static <T> T property(String prefix, java.util.function.Supplier<T> build) {
    try {
      return build.get();
    } catch (ConfigurationException e) {
      throw new ConfigurationException("invalid " + prefix + ".* properties: " + e.getMessage(),
          e);
    }
  }

  private static <T> void set(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
