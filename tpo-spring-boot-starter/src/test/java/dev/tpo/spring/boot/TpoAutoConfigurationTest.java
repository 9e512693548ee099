package dev.tpo.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tpo.PromptLayout;
import dev.tpo.Tpo;
import dev.tpo.TpoMode;
import dev.tpo.TpoResult;
import dev.tpo.TpoSettings;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.core.event.RunCompleted;
import dev.tpo.core.event.TpoListener;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.testing.FakeRewardScorer;
import dev.tpo.core.testing.ScriptedLanguageModel;
import dev.tpo.micrometer.MicrometerTpoListener;
import dev.tpo.micrometer.TpoMetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** Every property, every back-off and every bad input of the auto-configuration. */
class TpoAutoConfigurationTest {
  static final String[] MINIMAL = {"tpo.policy.base-url=http://127.0.0.1:9/v1",
      "tpo.policy.model=my-model", "tpo.reward.spec=vllm+http://127.0.0.1:9"};

  /** Two samples, no round: what the scripted policy of {@link OwnModels} answers. */
  static final String[] SMALL = {"tpo.samples=2", "tpo.iterations=0"};

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TpoAutoConfiguration.class,
          TpoMetricsAutoConfiguration.class, TpoHealthAutoConfiguration.class));

  @Test
  void threePropertiesGiveTpoItsPolicyItsScorerAndAHealthIndicator() {
    runner.withPropertyValues(MINIMAL).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(Tpo.class)
          .hasSingleBean(LanguageModel.class).hasSingleBean(RewardScorer.class)
          .hasSingleBean(TpoHealthIndicator.class).hasBean("tpoHealthIndicator")
          .doesNotHaveBean(MicrometerTpoListener.class);
      OpenAiCompatibleModel policy = context.getBean(OpenAiCompatibleModel.class);
      assertThat(policy.model()).isEqualTo("my-model");
      assertThat(policy.apiRoot()).isEqualTo("http://127.0.0.1:9/v1");
      Tpo tpo = context.getBean(Tpo.class);
      assertThat(tpo.settings()).isEqualTo(TpoSettings.DEFAULTS);
      assertThat(tpo.mode()).isEqualTo(TpoMode.TPO);
      assertThat(tpo.toString()).contains("my-model");
    });
  }

  @Test
  void everySettingPropertyReachesTheTpo() {
    runner.withPropertyValues(MINIMAL).withPropertyValues("tpo.mode=best-of-n", "tpo.samples=8",
        "tpo.iterations=0", "tpo.temperature=0.4", "tpo.top-p=0.8", "tpo.seed=99",
        "tpo.max-tokens=512", "tpo.max-context-tokens=4096",
        "tpo.response-truncation-tokens=256", "tpo.token-budget=100000", "tpo.time-limit=45s")
        .run(context -> {
          assertThat(context).hasNotFailed();
          Tpo tpo = context.getBean(Tpo.class);
          assertThat(tpo.mode()).isEqualTo(TpoMode.BEST_OF_N);
          TpoSettings s = tpo.settings();
          assertThat(s.samples()).isEqualTo(8);
          assertThat(s.iterations()).isZero();
          assertThat(s.temperature()).isEqualTo(0.4);
          assertThat(s.topP()).isEqualTo(0.8);
          assertThat(s.seed()).isEqualTo(99);
          assertThat(s.maxTokens()).isEqualTo(512);
          assertThat(s.maxContextTokens()).isEqualTo(4096);
          assertThat(s.responseTruncationTokens()).isEqualTo(256);
          assertThat(s.tokenBudgetIfSet()).contains(100000L);
          assertThat(s.timeLimit()).contains(Duration.ofSeconds(45));
          assertThat(s.earlyStopRounds()).isZero();
          assertThat(s.stopAtMaxScore()).isFalse();
          assertThat(s.promptLayout()).isEqualTo(PromptLayout.REFERENCE);
          assertThat(tpo.streamScoring()).isFalse();
        });
  }

  @Test
  void theEarlyStopLayoutAndStreamScoringPropertiesReachTheTpo() {
    runner.withPropertyValues(MINIMAL).withPropertyValues("tpo.early-stop-rounds=2",
        "tpo.early-stop-margin=0.25", "tpo.stop-at-max-score=true",
        "tpo.prompt-layout=prefix-shared", "tpo.stream-scoring=true")
        .run(context -> {
          assertThat(context).hasNotFailed();
          Tpo tpo = context.getBean(Tpo.class);
          TpoSettings s = tpo.settings();
          assertThat(s.earlyStopRounds()).isEqualTo(2);
          assertThat(s.earlyStopOn()).isTrue();
          assertThat(s.earlyStopMargin()).isEqualTo(0.25);
          assertThat(s.stopAtMaxScore()).isTrue();
          assertThat(s.promptLayout()).isEqualTo(PromptLayout.PREFIX_SHARED);
          assertThat(s.samples()).isEqualTo(TpoSettings.DEFAULTS.samples());
          assertThat(tpo.streamScoring()).isTrue();
          assertThat(tpo.toBuilder().build().streamScoring()).isTrue();
        });
    runner.withPropertyValues(MINIMAL).withPropertyValues("tpo.prompt-layout=REFERENCE",
        "tpo.stream-scoring=false", "tpo.stop-at-max-score=false").run(context -> {
          Tpo tpo = context.getBean(Tpo.class);
          assertThat(tpo.settings().promptLayout()).isEqualTo(PromptLayout.REFERENCE);
          assertThat(tpo.settings().stopAtMaxScore()).isFalse();
          assertThat(tpo.streamScoring()).isFalse();
        });
  }

  @Test
  void everyPolicyAndRewardPropertyIsBound() {
    runner.withPropertyValues(MINIMAL).withPropertyValues("tpo.policy.api-key=k-123",
        "tpo.policy.timeout=20s", "tpo.policy.max-retries=5",
        "tpo.policy.max-concurrent-requests=12", "tpo.reward.api-key=r-456",
        "tpo.reward.timeout=3s", "tpo.reward.max-retries=1", "tpo.metrics.enabled=false")
        .run(context -> {
          assertThat(context).hasNotFailed();
          TpoProperties p = context.getBean(TpoProperties.class);
          assertThat(p.policy()).isEqualTo(new TpoProperties.Policy("http://127.0.0.1:9/v1",
              "my-model", "k-123", Duration.ofSeconds(20), 5, 12));
          assertThat(p.reward()).isEqualTo(new TpoProperties.Reward("vllm+http://127.0.0.1:9",
              "r-456", Duration.ofSeconds(3), 1));
          assertThat(p.metrics().enabled()).isFalse();
          assertThat(context.getBean(OpenAiCompatibleModel.class).toString())
              .contains("maxConcurrentRequests=12").doesNotContain("k-123");
          assertThat(p.toString()).doesNotContain("k-123").doesNotContain("r-456");
        });
  }

  @Test
  void theOpenAiDefaultNeedsOnlyTheModelTheKeyAndTheReward() {
    runner.withPropertyValues("tpo.policy.model=gpt-4o-mini", "tpo.policy.api-key=sk-x",
        "tpo.reward.spec=judge").run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(OpenAiCompatibleModel.class).apiRoot())
              .isEqualTo(TpoAutoConfiguration.OPENAI_BASE_URL);
          assertThat(context.getBean(RewardScorer.class).name()).containsIgnoringCase("judge");
        });
  }

  @Test
  void applicationBeansWinAndListenersAreCollectedInOrder() {
    runner.withUserConfiguration(OwnModels.class).withPropertyValues(SMALL).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(LanguageModel.class)
          .hasSingleBean(RewardScorer.class).doesNotHaveBean(OpenAiCompatibleModel.class);
      Tpo tpo = context.getBean(Tpo.class);
      TpoResult result = tpo.optimize("q");
      assertThat(result.answer()).isEqualTo("a longer answer");
      assertThat(context.getBean(OwnModels.class).seen).containsExactly("first", "second");
      // no tpo.policy.* at all: the health indicator does not check an application's own model
      assertThat(context.getBean(TpoHealthIndicator.class).health().getDetails().toString())
          .contains("not checked");
    });
  }

  @Test
  void anApplicationTpoReplacesTheAutoConfiguredOne() {
    Tpo own = Tpo.builder().policy(new ScriptedLanguageModel().thenAnswer("x"))
        .scorer(FakeRewardScorer.byLength()).build();
    runner.withPropertyValues(MINIMAL).withBean(Tpo.class, () -> own).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(Tpo.class)).isSameAs(own);
    });
  }

  @Test
  void aCustomizerAdjustsTheBuilderAfterTheProperties() {
    runner.withPropertyValues(MINIMAL).withPropertyValues("tpo.samples=3")
        .withBean(TpoBuilderCustomizer.class, () -> b -> b.iterations(7)).run(context -> {
          TpoSettings s = context.getBean(Tpo.class).settings();
          assertThat(s.samples()).isEqualTo(3);
          assertThat(s.iterations()).isEqualTo(7);
        });
  }

  @Test
  void metricsAreWiredWhenAMeterRegistryIsThereAndRecordRuns() {
    runner.withUserConfiguration(OwnModels.class).withPropertyValues(SMALL)
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
          assertThat(context).hasSingleBean(MicrometerTpoListener.class);
          context.getBean(Tpo.class).optimize("q");
          MeterRegistry meters = context.getBean(MeterRegistry.class);
          assertThat(meters.get(TpoMetricNames.PHASE_DURATION)
              .tag(TpoMetricNames.PHASE, "sampling").timer().count()).isEqualTo(1);
          // the application's listeners still run beside the metrics
          assertThat(context.getBean(OwnModels.class).seen).containsExactly("first", "second");
        });
  }

  @Test
  void metricsBackOffWhenDisabledWithoutRegistryOrWithoutTpoMicrometer() {
    runner.withPropertyValues(MINIMAL).withPropertyValues("tpo.metrics.enabled=false")
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(context -> assertThat(context).doesNotHaveBean(MicrometerTpoListener.class));
    runner.withPropertyValues(MINIMAL)
        .run(context -> assertThat(context).doesNotHaveBean(MicrometerTpoListener.class));
    runner.withPropertyValues(MINIMAL).withClassLoader(new FilteredClassLoader(
            MicrometerTpoListener.class)).withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(MicrometerTpoListener.class).hasSingleBean(Tpo.class));
    MicrometerTpoListener own = MicrometerTpoListener.of(new SimpleMeterRegistry());
    runner.withPropertyValues(MINIMAL).withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withBean(MicrometerTpoListener.class, () -> own)
        .run(context -> assertThat(context.getBean(MicrometerTpoListener.class)).isSameAs(own));
  }

  @Test
  void theHealthIndicatorBacksOffWhenDisabledOrWithoutActuator() {
    runner.withPropertyValues(MINIMAL).withPropertyValues("management.health.tpo.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(TpoHealthIndicator.class));
    runner.withPropertyValues(MINIMAL)
        .withClassLoader(new FilteredClassLoader(HealthIndicator.class))
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(TpoHealthIndicator.class).hasSingleBean(Tpo.class));
  }

  @Test
  void unknownPropertiesFailTheContextNamingTheProperty() {
    runner.withPropertyValues(MINIMAL).withPropertyValues("tpo.sampels=3").run(context ->
        assertThat(context).getFailure().rootCause().hasMessageContaining("tpo.sampels"));
    runner.withPropertyValues(MINIMAL).withPropertyValues("tpo.policy.modle=x").run(context ->
        assertThat(context).getFailure().rootCause().hasMessageContaining("tpo.policy.modle"));
  }

  @Test
  void aMissingModelKeyOrRewardSaysWhichPropertyToSet() {
    runner.withPropertyValues("tpo.policy.base-url=http://127.0.0.1:9/v1",
        "tpo.reward.spec=judge").run(context -> assertThat(context).getFailure()
            .rootCause().hasMessageContaining("tpo.policy.model is not set"));
    runner.withPropertyValues("tpo.policy.model=gpt-4o-mini", "tpo.reward.spec=judge")
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessageContaining("tpo.policy.api-key is not set")
            .hasMessageContaining("tpo.policy.base-url"));
    runner.withPropertyValues("tpo.policy.base-url=http://127.0.0.1:9/v1",
        "tpo.policy.model=m").run(context -> assertThat(context).getFailure()
            .rootCause().hasMessageContaining("tpo.reward.spec is not set"));
  }

  @Test
  void invalidValuesNameThePropertyAndTheValue() {
    runner.withPropertyValues(MINIMAL).withPropertyValues("tpo.samples=0").run(context ->
        assertThat(context).getFailure()
            .hasStackTraceContaining("invalid tpo.* properties: TPO setting 'samples'")
            .hasStackTraceContaining("got 0"));
    runner.withPropertyValues(MINIMAL).withPropertyValues("tpo.mode=greedy").run(context ->
        assertThat(context).getFailure()
            .hasStackTraceContaining("tpo.mode: unknown mode 'greedy'"));
    runner.withPropertyValues(MINIMAL).withPropertyValues("tpo.prompt-layout=wide").run(context ->
        assertThat(context).getFailure()
            .hasStackTraceContaining("tpo.prompt-layout: unknown prompt layout 'wide'")
            .hasStackTraceContaining("use reference or prefix-shared"));
    runner.withPropertyValues(MINIMAL).withPropertyValues("tpo.early-stop-rounds=-1")
        .run(context -> assertThat(context).getFailure()
            .hasStackTraceContaining("invalid tpo.* properties: TPO setting 'earlyStopRounds'")
            .hasStackTraceContaining("got -1"));
    runner.withPropertyValues(MINIMAL).withPropertyValues("tpo.early-stop-margin=-0.5")
        .run(context -> assertThat(context).getFailure()
            .hasStackTraceContaining("TPO setting 'earlyStopMargin'")
            .hasStackTraceContaining("got -0.5"));
    runner.withPropertyValues(MINIMAL).withPropertyValues("tpo.stop-at-max-score=maybe")
        .run(context -> assertThat(context).getFailure()
            .hasStackTraceContaining("tpo.stop-at-max-score").hasStackTraceContaining("maybe"));
    runner.withPropertyValues(MINIMAL).withPropertyValues("tpo.reward.spec=nope://x")
        .run(context -> assertThat(context).getFailure()
            .hasStackTraceContaining("invalid tpo.reward.spec.* properties")
            .hasStackTraceContaining("nope://x"));
    runner.withPropertyValues("tpo.policy.base-url=localhost:8000", "tpo.policy.model=m",
        "tpo.reward.spec=judge").run(context -> assertThat(context).getFailure()
            .hasStackTraceContaining("invalid tpo.policy.* properties")
            .hasStackTraceContaining("localhost:8000"));
  }

  /** An application that brings its own policy and scorer and two listeners. */
  @Configuration(proxyBeanMethods = false)
  static class OwnModels {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Bean
    LanguageModel myPolicy() {
      return new ScriptedLanguageModel().thenAnswer("short", "a longer answer");
    }

    @Bean
    RewardScorer myScorer() {
      return FakeRewardScorer.byLength();
    }

    @Bean
    @Order(2)
    TpoListener second() {
      return new TpoListener() {
        @Override
        public void onRunCompleted(RunCompleted event) {
          seen.add("second");
        }
      };
    }

    @Bean
    @Order(1)
    TpoListener first() {
      return new TpoListener() {
        @Override
        public void onRunCompleted(RunCompleted event) {
          seen.add("first");
        }
      };
    }
  }
}
