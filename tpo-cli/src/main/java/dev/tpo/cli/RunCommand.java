package dev.tpo.cli;

import dev.tpo.adapter.http.Secrets;
import dev.tpo.cli.data.Prompt;
import dev.tpo.cli.data.PromptLoader;
import dev.tpo.cli.progress.ProgressReporter;
import dev.tpo.cli.progress.RunSummary;
import dev.tpo.cli.run.RunConfig;
import dev.tpo.cli.run.RunDriver;
import dev.tpo.cli.run.RunnerFactory;
import dev.tpo.cli.store.ResultsStore;
import dev.tpo.cli.store.StoredResult;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.TpoException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tpo run}: optimizes every prompt of a data file, {@code --concurrency} at a time,
 * appending one JSON line per prompt to {@code --out} as each finishes. Running the same command
 * again skips the prompts already done. The policy server and the reward scorer are probed once,
 * so a dead server, a wrong model name or a bad reward spec stops the run at once with a message
 * naming the URL or spec: before anything else is sent, or, when {@code --model} names the model,
 * alongside the first requests (no result is written before the probes have passed).
 *
 * <p>The reference run script's option names work as aliases ({@code --sample_size},
 * {@code --max_iterations}, {@code --num_threads}, {@code --tpo_mode}, {@code --server_model},
 * {@code --data_path}, {@code --ip}, {@code --port}).
 *
 * <p>Not thread-safe: one instance per invocation.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    defaultValueProvider = RunOptions.SettingsDefaults.class,
    sortOptions = false,
    description = "Optimize every prompt of a data file; results are appended as JSON lines and"
        + " a rerun skips what is done.",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:every prompt has a result",
        "1:some prompts failed (they have error lines and run again next time)",
        "2:bad option, option value or data file; an in-process model file that is missing,"
            + " broken, or not cached with TPO_OFFLINE=1",
        "3:the policy server or reward scorer is down or refused the settings; the model"
            + " download cannot reach the hub (TPO_HF_ENDPOINT)",
        "4:the results file or trace directory cannot be written",
        "130:interrupted by Ctrl-C (143 for SIGTERM); finished prompts are kept"})
final class RunCommand implements Callable<Integer> {
  private final RunnerFactory factory;
  private final Map<String, String> env;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin
  RunOptions options;

  RunCommand(RunnerFactory factory, Map<String, String> env) {
    this.factory = factory;
    this.env = env;
  }

  /**
   * The factory the jar uses: the real TPO loop, OpenAI-compatible policy and reward scorers.
   *
   * @return the factory
   */
  static RunnerFactory defaultFactory() {
    // Made on first use: the real factory brings Jackson and the adapters' classes with it,
    // which `tpo --help`, `tpo report` and a bad command line never need (start-up, issue 21).
    return new RunnerFactory() {
      private RunnerFactory real;

      private synchronized RunnerFactory real() {
        if (real == null) {
          real = new dev.tpo.cli.run.TpoRunnerFactory();
        }
        return real;
      }

      @Override
      public Prepared prepare(RunConfig config, dev.tpo.core.event.TpoListener listener) {
        return real().prepare(config, listener);
      }

      @Override
      public void check(RunConfig config) {
        real().check(config);
      }
    };
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    RunConfig config;
    List<Prompt> prompts;
    try {
      config = options.config(env);
      prompts = PromptLoader.load(options.data);
      factory.check(config);
    } catch (ConfigurationException e) {
      err.println("tpo run: " + e.getMessage());
      err.flush();
      return ExitCodes.USAGE;
    }
    Path outFile = options.out != null ? options.out : options.defaultOut();
    UnaryOperator<String> scrub = scrubber(config.apiKey(), config.rewardApiKey());
    long startNanos = System.nanoTime();
    boolean existed = java.nio.file.Files.exists(outFile);
    ResultsStore opened;
    try {
      opened = ResultsStore.open(outFile);
    } catch (ConfigurationException e) {
      err.println("tpo run: " + scrub.apply(e.getMessage()));
      err.flush();
      return ExitCodes.IO_ERROR;
    }
    boolean removeIfEmpty = !existed;
    try (ResultsStore store = opened) {
      reportRecovery(err, store);
      Set<String> done = store.doneIds();
      List<Prompt> todo = prompts.stream().filter(p -> !done.contains(p.id()))
          .collect(Collectors.toList());
      int skipped = prompts.size() - todo.size();
      if (todo.isEmpty()) {
        warnIfSettingsDiffer(err, store, settingsOf(config, config.model().orElse(null)));
        err.println("tpo run: all " + prompts.size() + " prompts of " + options.data
            + " already have results in " + outFile + "; nothing to do");
        printSummary(err, prompts, store, skipped, 0, 0, List.of(), null, startNanos);
        return ExitCodes.OK;
      }
      ProgressReporter reporter = new ProgressReporter(todo.size(), System.err, options.progress,
          Duration.ofSeconds(options.progressInterval));
      RunnerFactory.Prepared prepared;
      try {
        prepared = factory.prepare(config, reporter);
      } catch (TpoException e) {
        err.println("tpo run: " + scrub.apply(messageOf(e)));
        err.flush();
        return e instanceof ConfigurationException ? ExitCodes.USAGE : ExitCodes.UNAVAILABLE;
      }
      removeIfEmpty = false;
      for (String w : prepared.warnings()) {
        err.println("tpo run: warning: " + scrub.apply(w));
      }
      Map<String, String> stamp = new LinkedHashMap<>();
      stamp.put("mode", config.mode());
      stamp.put("model", prepared.model());
      stamp.put("run_settings", settingsOf(config, prepared.model()));
      warnIfSettingsDiffer(err, store, stamp.get("run_settings"));
      err.println("tpo run: " + todo.size() + " prompts to run (" + skipped
          + " already done) with " + prepared.model() + " at " + config.policyLocation() + ", mode "
          + config.mode() + ", N=" + config.samples()
          + ("bon".equals(config.mode()) ? " (best of N, no rounds)" : ", D=" + config.iterations())
          + ", reward " + config.reward() + "; results -> " + outFile);
      err.flush();
      prepared.checks().thenAccept(found -> {
        for (String w : found) {
          err.println("tpo run: warning: " + scrub.apply(w));
        }
        err.flush();
      });
      RunDriver driver = new RunDriver(prepared.runner(), store,
          Optional.ofNullable(options.traceDir), config.concurrency(), reporter, stamp, scrub,
          options.promptRetries,
          Duration.ofMillis(Math.round(options.promptRetryWait * 1000)), prepared.checks());
      Thread hook = new Thread(() -> {
        driver.stop();
        System.err.println();
        System.err.println("tpo run: interrupted; finished prompts are kept in " + outFile
            + ". Run the same command again to finish the rest.");
        System.err.flush();
      }, "tpo-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      RunDriver.Outcome outcome;
      try {
        outcome = driver.run(todo);
      } catch (RuntimeException e) {
        if (!prepared.checks().isCompletedExceptionally()) {
          throw e;
        }
        // the probes that ran alongside the first requests failed: the same message and exit
        // code as when they run before the run, and no results file is left behind
        Throwable failure = probeFailure(prepared.checks());
        err.println("tpo run: " + scrub.apply(messageOf(failure)));
        err.flush();
        removeIfEmpty = !existed;
        return failure instanceof ConfigurationException ? ExitCodes.USAGE
            : ExitCodes.UNAVAILABLE;
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running; it has stopped the driver
        }
        close(prepared.resources());
      }
      printSummary(err, prompts, store, skipped, outcome.failed(), outcome.notRun(),
          outcome.written(), reporter, startNanos);
      if (outcome.notRun() > 0) {
        return ExitCodes.INTERRUPTED;
      }
      return outcome.failed() > 0 ? ExitCodes.PROMPTS_FAILED : ExitCodes.OK;
    } catch (ConfigurationException e) {
      err.println("tpo run: " + scrub.apply(e.getMessage()));
      err.flush();
      return ExitCodes.IO_ERROR;
    } catch (UncheckedIOException e) {
      err.println("tpo run: " + scrub.apply(messageOf(e)) + "; finished prompts are kept in "
          + outFile);
      err.flush();
      return ExitCodes.IO_ERROR;
    } finally {
      if (removeIfEmpty) {
        try {
          // the run stopped before any prompt: leave no empty results file behind
          if (java.nio.file.Files.size(outFile) == 0) {
            java.nio.file.Files.delete(outFile);
          }
        } catch (java.io.IOException | RuntimeException ignored) {
          // nothing was written to it; an empty file is harmless
        }
      }
    }
  }

  private void printSummary(PrintWriter err, List<Prompt> prompts, ResultsStore store,
      int skipped, int failed, int notRun, List<StoredResult> written, ProgressReporter counts,
      long startNanos) {
    Set<String> ids = prompts.stream().map(Prompt::id).collect(Collectors.toSet());
    List<StoredResult> every = new ArrayList<>();
    for (StoredResult r : store.results()) {
      if (ids.contains(r.id()) && !r.failed()) {
        every.add(r);
      }
    }
    RunSummary summary = RunSummary.of(prompts.size(), skipped, failed, notRun, every, written,
        counts, Duration.ofNanos(System.nanoTime() - startNanos));
    err.print(summary.render());
    err.println("  results: " + store.file());
    err.flush();
  }

  /**
   * The settings that decide a result, as recorded on every line: a later run with other settings
   * on the same file is warned about.
   *
   * @param c the run's settings
   * @param model the policy model in use
   * @return for example {@code mode=tpo model=m samples=5 iterations=2 ...}
   */
  static String settingsOf(RunConfig c, String model) {
    return "mode=" + c.mode() + (model == null ? "" : " model=" + model) + " samples=" + c.samples() + " iterations="
        + c.iterations() + " temperature=" + c.temperature() + " top_p=" + c.topP() + " seed="
        + c.seed() + " max_tokens_response=" + c.maxTokensResponse() + " max_tokens_all="
        + c.maxTokensAll() + " reward=" + c.reward();
  }

  private static void warnIfSettingsDiffer(PrintWriter err, ResultsStore store, String settings) {
    boolean modelKnown = settings.contains(" model=");
    List<StoredResult> other = store.results().stream()
        .filter(r -> !r.settings().isEmpty()
            && !(modelKnown ? r.settings() : withoutModel(r.settings())).equals(settings))
        .toList();
    if (!other.isEmpty()) {
      err.println("tpo run: warning: " + other.size() + " results already in " + store.file()
          + " were made with other settings (" + other.get(0).settings() + "); this run uses "
          + settings + ". They are kept and their prompts skipped; use another --out to keep"
          + " runs apart");
      err.flush();
    }
  }

  private static String withoutModel(String settings) {
    return settings.replaceFirst(" model=\\S*", "");
  }

  private static void reportRecovery(PrintWriter err, ResultsStore store) {
    ResultsStore.Recovery r = store.recovery();
    if (r.truncatedBytes() > 0) {
      err.println("tpo run: the last line of " + store.file() + " was cut off (" + r.truncatedBytes()
          + " bytes, a run stopped mid-write); it was removed and that prompt runs again");
    }
    if (r.droppedFailures() > 0) {
      err.println("tpo run: " + r.droppedFailures() + " prompts failed last time; they run again");
    }
    if (r.droppedInvalid() > 0) {
      err.println("tpo run: removed " + r.droppedInvalid() + " unreadable lines of "
          + store.file() + " (lines " + r.invalidLineNumbers() + ")");
    }
    if (r.droppedDuplicates() > 0) {
      err.println("tpo run: removed " + r.droppedDuplicates() + " repeated results of "
          + store.file());
    }
    err.flush();
  }


  /**
   * The redaction of every text the command writes (messages, result lines, traces): the
   * library's one redaction function, {@link Secrets#redact(String, String...)}, with both keys.
   *
   * @param apiKey the policy server's key, if any
   * @param rewardApiKey the reward server's key, if any
   * @return the scrubber (the identity without a key)
   */
  static UnaryOperator<String> scrubber(Optional<String> apiKey, Optional<String> rewardApiKey) {
    String[] keys = java.util.stream.Stream.of(apiKey, rewardApiKey)
        .flatMap(Optional::stream).filter(k -> !k.isEmpty()).toArray(String[]::new);
    if (keys.length == 0) {
      return s -> s;
    }
    return s -> s == null ? null : Secrets.redact(s, keys);
  }

  /**
   * A failure's message, unwrapped from completion wrappers, with its cause when that adds
   * something.
   *
   * @param e the failure
   * @return one line
   */
  static String messageOf(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException
        || t instanceof UncheckedIOException) && t.getCause() != null
        && t.getMessage() == null) {
      t = t.getCause();
    }
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    Throwable cause = t.getCause();
    if (cause != null && cause.getMessage() != null && !msg.contains(cause.getMessage())) {
      msg += " (cause: " + cause.getMessage() + ")";
    }
    return msg;
  }

  /** The failure of checks that completed exceptionally, unwrapped. */
  private static Throwable probeFailure(java.util.concurrent.CompletableFuture<?> checks) {
    try {
      checks.join();
      throw new IllegalStateException("the checks passed");
    } catch (java.util.concurrent.CompletionException
        | java.util.concurrent.CancellationException e) {
      Throwable t = e;
      while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
        t = t.getCause();
      }
      return t;
    }
  }

  private static void close(List<AutoCloseable> resources) {
    for (AutoCloseable c : resources) {
      try {
        c.close();
      } catch (Exception e) {
        // closing is best effort at the end of a run
      }
    }
  }
}
