package dev.tpo.examples.spring;

import dev.tpo.Tpo;
import dev.tpo.TpoResult;
import java.util.Locale;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application whose only TPO configuration is three properties: the starter
 * auto-configures the {@link Tpo} bean it injects.
 *
 * <pre>
 * java -cp tpo-examples.jar dev.tpo.examples.spring.TpoSpringApplication \
 *     --tpo.policy.base-url=http://localhost:8000/v1 \
 *     --tpo.policy.model=Qwen/Qwen2.5-7B-Instruct \
 *     --tpo.reward.spec=vllm+http://localhost:8001 \
 *     --prompt="How do I boil an egg?"
 * </pre>
 * (or the same as {@code tpo.*} lines in {@code application.properties}).
 *
 * <p>Spring creates one instance; it keeps no mutable state.
 */
@SpringBootApplication
public class TpoSpringApplication {

  /** Creates the application; Spring calls it. */
  public TpoSpringApplication() {}

  /**
   * Optimizes the {@code --prompt} argument once the application has started.
   *
   * @param tpo the auto-configured TPO
   * @return the runner
   */
  @Bean
  ApplicationRunner optimizeOnce(Tpo tpo) {
    return (ApplicationArguments args) -> {
      String prompt = args.containsOption("prompt") ? args.getOptionValues("prompt").get(0)
          : "Explain in three sentences why the sky is blue.";
      TpoResult result = tpo.optimize(prompt);
      System.out.println(result.answer());
      System.out.printf(Locale.ROOT, "score %.3f, %d tokens%n", result.bestScore(),
          result.usage().totalTokens());
    };
  }

  /**
   * Entry point.
   *
   * @param args Spring Boot arguments ({@code --tpo.*=...}, {@code --prompt=...})
   */
  public static void main(String[] args) {
    SpringApplication.run(TpoSpringApplication.class, args).close();
  }
}
