/**
 * Spring Boot auto-configuration for TPO: {@code tpo.*} properties ({@link
 * dev.tpo.spring.boot.TpoProperties}), {@code Tpo}, {@code LanguageModel} and {@code RewardScorer}
 * beans that back off when the application defines its own, every {@code TpoListener} bean
 * collected, Micrometer metrics and observations when Micrometer is on the class path, and an
 * Actuator health indicator for the policy and reward endpoints.
 */
package dev.tpo.spring.boot;
