package dev.tpo.core.reward;

/**
 * SPI: creates a {@link RewardScorer} from a textual spec such as {@code vllm+http://host:8001},
 * {@code tei+http://host:8080}, {@code judge} or {@code djl:/models/rm}. Modules register
 * implementations in {@code META-INF/services/dev.tpo.core.reward.RewardScorerProvider}; {@link
 * RewardScorers#fromSpec(String, RewardScorerContext)} finds them with {@link
 * java.util.ServiceLoader}, so the command-line tool and {@code Tpo.optimize(prompt)} accept any
 * scorer whose module is on the class path.
 *
 * <p>Implementations must be stateless and thread-safe; the scorers they create follow the {@link
 * RewardScorer} contract and may implement {@link AutoCloseable} (the caller then closes them).
 */
public interface RewardScorerProvider {

  /**
   * A short name for messages, for example {@code "vllm"}.
   *
   * @return the name
   */
  String name();

  /**
   * Whether this provider handles the spec. Must not do I/O.
   *
   * @param spec the spec, trimmed and not blank
   * @return true when {@link #create} should be called with it
   */
  boolean supports(String spec);

  /**
   * Creates the scorer. May load a model or check a server; failures are {@link
   * dev.tpo.core.error.TpoException}s whose message names the spec and the fix.
   *
   * @param spec the spec, one this provider {@link #supports(String) supports}
   * @param context what the scorer may need beyond the spec
   * @return the scorer
   */
  RewardScorer create(String spec, RewardScorerContext context);

  /**
   * The spec syntax this provider accepts, one line, for help texts and error messages.
   *
   * @return for example {@code "vllm+http://HOST:PORT[/pooling|/classify][?model=NAME]"}
   */
  String syntax();
}
