package dev.tpo.spring.boot;

import dev.tpo.TpoBuilder;

/**
 * Adjusts the auto-configured {@code Tpo} before it is built (a critic model, prompts, an
 * executor, a clock): declare beans of this type. They run in {@code @Order} order, after the
 * {@code tpo.*} properties were applied.
 *
 * <p>Implementations are called once, on the thread that creates the bean.
 */
@FunctionalInterface
public interface TpoBuilderCustomizer {

  /**
   * Adjusts the builder.
   *
   * @param builder the builder, with the properties applied
   */
  void customize(TpoBuilder builder);
}
