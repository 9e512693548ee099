/**
 * Test fixtures shipped to other modules as the {@code tpo-core} test-jar: a scripted fake
 * {@link dev.tpo.core.model.LanguageModel}, a fake {@link dev.tpo.core.reward.RewardScorer} and the
 * abstract contract test every scorer implementation extends.
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>dev.tpo</groupId><artifactId>tpo-core</artifactId>
 *   <type>test-jar</type><scope>test</scope>
 * </dependency>
 * }</pre>
 */
package dev.tpo.core.testing;
