package dev.tpo.cli.run;

import dev.tpo.core.event.TpoListener;

/**
 * Connects a run to its servers: probes the policy server and the reward scorer (before the run,
 * or alongside its first requests when the model is named, see {@link Prepared#checks()}), and
 * builds the {@link PromptRunner}. The seam that lets the command be tested without the network.
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
   * Checks the settings that can be checked without the network (the reward spec's syntax),
   * before the results file is opened or any server is probed. The default checks nothing.
   *
   * @param config the run's settings
   * @throws dev.tpo.core.error.ConfigurationException naming the bad setting and the fix
   */
  default void check(RunConfig config) {}

  /**
   * A runner ready to go, with the resources to release after the run, the warnings the probes
   * found (shown once before the run starts) and the probes still running.
   *
   * <p>When the run names its model ({@code --model}), the probes of the policy server and the
   * reward scorer run alongside the first requests instead of before them: {@code checks}
   * completes with the warnings they found, or exceptionally with the {@link
   * dev.tpo.core.error.TpoException} that would have stopped {@link #prepare} (its message names
   * the URL or spec and the fix). The run writes no result before the checks have passed and stops
   * when they fail.
   *
   * <p>Immutable value (the future completes once); thread-safe.
   *
   * @param runner the runner
   * @param model the policy model name in use
   * @param resources closed in order after the run
   * @param warnings what the probes found worth saying (a model the server does not list but
   *     answers for, a judge that fell back to its text format)
   * @param checks the probes still running: completes with their warnings, or with the failure
   *     that stops the run; already complete when the probes ran inside {@link #prepare}
   */
  record Prepared(PromptRunner runner, String model, java.util.List<AutoCloseable> resources,
      java.util.List<String> warnings,
      java.util.concurrent.CompletableFuture<java.util.List<String>> checks) {
    /**
     * Copies the lists.
     *
     * @param runner runs one prompt
     * @param model the policy model name in use
     * @param resources closed in order after the run
     * @param warnings what the probes found worth saying
     * @param checks the probes still running, with their warnings
     */
    public Prepared {
      java.util.Objects.requireNonNull(runner, "runner");
      java.util.Objects.requireNonNull(model, "model");
      resources = java.util.List.copyOf(resources);
      warnings = java.util.List.copyOf(warnings);
      java.util.Objects.requireNonNull(checks, "checks");
    }

    /**
     * A prepared runner whose probes are done.
     *
     * @param runner runs one prompt
     * @param model the policy model name in use
     * @param resources closed in order after the run
     * @param warnings what the probes found worth saying
     */
    public Prepared(PromptRunner runner, String model, java.util.List<AutoCloseable> resources,
        java.util.List<String> warnings) {
      this(runner, model, resources, warnings,
          java.util.concurrent.CompletableFuture.completedFuture(java.util.List.of()));
    }

    /**
     * A prepared runner without warnings, whose probes are done.
     *
     * @param runner runs one prompt
     * @param model the policy model name in use
     * @param resources closed in order after the run
     */
    public Prepared(PromptRunner runner, String model, java.util.List<AutoCloseable> resources) {
      this(runner, model, resources, java.util.List.of());
    }
  }
}
