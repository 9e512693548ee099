package dev.tpo.cli.run;

import dev.tpo.core.event.TpoListener;

/**
 * Connects a run to its servers: probes the policy server and the reward scorer, then builds the
 * {@link PromptRunner}. The seam that lets the command be tested without the network.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface RunnerFactory {

  /**
   * Probes the servers and builds the runner.
   *
   * @param config the run's settings
   * @param listener receives the loop's events (progress counts tokens from them)
   * @return the runner and what to close after the run
   * @throws dev.tpo.core.error.TpoException when a server is down, the model name is wrong or the
   *     reward spec is bad; the message names the URL or spec and the fix
   */
  Prepared prepare(RunConfig config, TpoListener listener);

  /**
   * A runner ready to go, with the resources to release after the run.
   *
   * <p>Immutable value; thread-safe.
   *
   * @param runner the runner
   * @param model the policy model name in use
   * @param resources closed in order after the run
   */
  record Prepared(PromptRunner runner, String model, java.util.List<AutoCloseable> resources) {
    /**
     * Copies the list.
     *
     * @param runner runs one prompt
     * @param model the policy model name in use
     * @param resources closed in order after the run
     */
    public Prepared {
      java.util.Objects.requireNonNull(runner, "runner");
      java.util.Objects.requireNonNull(model, "model");
      resources = java.util.List.copyOf(resources);
    }
  }
}
