package dev.tpo;

import dev.tpo.core.error.ConfigurationException;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.util.List;
import java.util.Locale;

/**
 * The algorithm a run follows: a strategy the loop asks what to put in the loss, what role the
 * optimized response plays and which constraints the update step gets. Three built-ins: {@link
 * #TPO} (the paper's method), {@link #REVISION} (the paper's ablation without the rejected
 * response) and {@link #BEST_OF_N} (sample, score, keep the best). More modes are new
 * implementations of this interface; callers of {@link Tpo} do not change.
 *
 * <p>Implementations must be immutable and thread-safe.
 */
public interface TpoMode {

  /** Test-Time Preference Optimization: the loss contrasts the pool's best and worst responses. */
  TpoMode TPO = BuiltInMode.TPO;

  /** The revision ablation: the loss sees only the pool's best response, no rejected one. */
  TpoMode REVISION = BuiltInMode.REVISION;

  /** Best-of-N: one sampling request with n=N, scored; no refinement rounds. */
  TpoMode BEST_OF_N = BuiltInMode.BEST_OF_N;

  /**
   * The mode's name, recorded in results (for example {@code "TPO"}).
   *
   * @return the name
   */
  String name();

  /**
   * Whether the mode runs refinement rounds; when false the run stops after the initial samples
   * whatever the iteration count.
   *
   * @return true for modes that refine
   */
  boolean refines();

  /**
   * Whether the loss shows the pool's worst (rejected) response.
   *
   * @return true when the loss contrasts chosen and rejected
   */
  boolean usesRejected();

  /**
   * The role description of the response being optimized, shown to the gradient and update
   * prompts.
   *
   * @return the role
   */
  String responseRole();

  /**
   * The constraints the update step must respect.
   *
   * @return an immutable list, possibly empty
   */
  List<String> constraints();

  /**
   * The loss's system prompt (the evaluation instruction); the chosen response is sent as the user
   * message.
   *
   * @param prompts the prompt registry ({@link PromptTemplates#TPO_LOSS}, {@link
   *     PromptTemplates#REVISION_LOSS})
   * @param query the user's query
   * @param rejected the rejected response already cut to the prompt budget, or null when {@link
   *     #usesRejected()} is false
   * @return the instruction
   */
  String lossInstruction(PromptTemplates prompts, String query, String rejected);

  /**
   * The built-in modes.
   *
   * @return TPO, REVISION and BEST_OF_N
   */
  static List<TpoMode> builtIns() {
    return List.of(TPO, REVISION, BEST_OF_N);
  }

  /**
   * Finds a built-in mode by name, ignoring case: {@code tpo}, {@code revision}, {@code bon},
   * {@code best-of-n} or {@code best_of_n}.
   *
   * @param name the name
   * @return the mode
   * @throws ConfigurationException naming the value and the accepted names when unknown
   */
  static TpoMode of(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    switch (n) {
      case "tpo":
        return TPO;
      case "revision":
        return REVISION;
      case "bon":
      case "best_of_n":
        return BEST_OF_N;
      default:
        throw new ConfigurationException(
            "unknown TPO mode '" + name + "'; use one of tpo, revision, bon (best-of-n)");
    }
  }
}
