package dev.tpo.spring.boot;

import dev.tpo.core.model.LanguageModel;
import java.time.Duration;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Adds {@link TpoHealthIndicator} (the {@code tpo} health component) when Spring Boot Actuator is
 * on the class path. Off with {@code management.health.tpo.enabled=false}. Thread-safe.
 */
@AutoConfiguration(after = TpoAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(LanguageModel.class)
@ConditionalOnProperty(prefix = "management.health.tpo", name = "enabled", matchIfMissing = true)
public class TpoHealthAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public TpoHealthAutoConfiguration() {}

  /**
   * The health indicator.
   *
   * @param properties the {@code tpo.*} properties
   * @param policy the policy model
   * @return the indicator, named {@code tpo} in the health endpoint
   */
  @Bean
  @ConditionalOnMissingBean(name = "tpoHealthIndicator")
  public TpoHealthIndicator tpoHealthIndicator(TpoProperties properties, LanguageModel policy) {
    return new TpoHealthIndicator(properties, policy, Duration.ofSeconds(5));
  }
}
