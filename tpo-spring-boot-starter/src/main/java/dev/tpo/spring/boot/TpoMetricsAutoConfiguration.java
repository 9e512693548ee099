package dev.tpo.spring.boot;

import dev.tpo.micrometer.MicrometerTpoListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Records TPO runs with Micrometer when {@code tpo-micrometer} is on the class path and the
 * application has a {@link MeterRegistry} (Spring Boot Actuator provides one): a {@link
 * MicrometerTpoListener} bean, which the auto-configured {@code Tpo} picks up like every {@code
 * TpoListener} bean. Observations go to the {@link ObservationRegistry} bean when there is one
 * (with Micrometer Tracing's OpenTelemetry bridge each run becomes a trace). Off with {@code
 * tpo.metrics.enabled=false}. Thread-safe.
 */
@AutoConfiguration(before = TpoAutoConfiguration.class, afterName = {
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration"})
@ConditionalOnClass({MicrometerTpoListener.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "tpo.metrics", name = "enabled", matchIfMissing = true)
public class TpoMetricsAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public TpoMetricsAutoConfiguration() {}

  /**
   * The listener that records runs.
   *
   * @param meters the application's meter registry
   * @param observations the application's observation registry, if any
   * @return the listener
   */
  @Bean
  @ConditionalOnMissingBean
  public MicrometerTpoListener tpoMicrometerListener(MeterRegistry meters,
      ObjectProvider<ObservationRegistry> observations) {
    return MicrometerTpoListener.of(meters,
        observations.getIfAvailable(() -> ObservationRegistry.NOOP));
  }
}
