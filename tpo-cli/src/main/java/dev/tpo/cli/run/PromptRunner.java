package dev.tpo.cli.run;

import dev.tpo.cli.data.Prompt;

/**
 * Optimizes one prompt: the seam between the command-line tool and the TPO loop, so the driver,
 * the results file and the progress display can be tested with any implementation.
 *
 * <p>Implementations must be thread-safe: the driver calls {@link #run(Prompt)} from several
 * threads at once.
 */
@FunctionalInterface
public interface PromptRunner {

  /**
   * Optimizes the prompt and returns everything the results file and the trace record.
   *
   * @param prompt the prompt
   * @return the outcome
   * @throws RuntimeException when the prompt fails; the driver records the error and goes on
   */
  PromptOutcome run(Prompt prompt);
}
