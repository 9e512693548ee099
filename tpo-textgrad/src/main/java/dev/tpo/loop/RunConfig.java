package dev.tpo.loop;

import dev.tpo.TpoMode;
import dev.tpo.TpoPrompts;
import dev.tpo.TpoSettings;
import dev.tpo.core.event.TpoListener;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.text.TokenCounter;
import dev.tpo.textgrad.prompt.PromptTemplates;
import java.time.Clock;
import java.util.Objects;

/**
 * Everything a run needs from its {@link dev.tpo.Tpo}: the models, the checked scorer, the default
 * settings and mode, the templates, the listener, the clock and the token counter.
 *
 * <p>Immutable value; thread-safe when its parts are (they must be: one config serves many runs).
 *
 * @param policy the model that samples and rewrites responses
 * @param critic the model that writes the loss and the gradient
 * @param scorer the reward scorer, already {@link RewardScorer#checked checked}
 * @param settings the default settings
 * @param mode the default mode
 * @param prompts the TPO templates
 * @param listener the listener, already {@link TpoListener#safe safe}
 * @param clock the clock for timings and the time limit
 * @param tokenCounter counts tokens for truncation and the context check
 * @param engineTemplates the TextGrad engine's templates (gradient and update prompts)
 */
public record RunConfig(
    LanguageModel policy,
    LanguageModel critic,
    RewardScorer scorer,
    TpoSettings settings,
    TpoMode mode,
    TpoPrompts prompts,
    TpoListener listener,
    Clock clock,
    TokenCounter tokenCounter,
    PromptTemplates engineTemplates) {

  /**
   * Validates and copies the fields.
   *
   * @param policy the model that samples and rewrites responses
   * @param critic the model that writes the loss and the gradient
   * @param scorer the reward scorer, already {@link RewardScorer#checked checked}
   * @param settings the default settings
   * @param mode the default mode
   * @param prompts the TPO templates
   * @param listener the listener, already {@link TpoListener#safe safe}
   * @param clock the clock for timings and the time limit
   * @param tokenCounter counts tokens for truncation and the context check
   * @param engineTemplates the TextGrad engine's templates (gradient and update prompts)
   */
  public RunConfig {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(critic, "critic");
    Objects.requireNonNull(scorer, "scorer");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(prompts, "prompts");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(tokenCounter, "tokenCounter");
    Objects.requireNonNull(engineTemplates, "engineTemplates");
  }
}
