package dev.tpo.cli;

import dev.tpo.cli.data.Prompt;
import dev.tpo.cli.data.PromptLoader;
import dev.tpo.cli.progress.ProgressReporter;
import dev.tpo.cli.progress.ProgressStyle;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tpo run}: optimizes every prompt of a data file, {@code --concurrency} at a time,
 * appending one JSON line per prompt to {@code --out} as each finishes. Running the same command
 * again skips the prompts already done. Before anything is sent, the policy server and the reward
 * scorer are probed once, so a dead server, a wrong model name or a bad reward spec stops the run
 * at once with a message naming the URL or spec.
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
    sortOptions = false,
    description = "Optimize every prompt of a data file; results are appended as JSON lines and"
        + " a rerun skips what is done.",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:every prompt has a result",
        "1:some prompts failed (they have error lines and run again next time)",
        "2:bad option, option value or data file",
        "3:the policy server or reward scorer is down or refused the settings",
        "4:the results file or trace directory cannot be written",
        "130:interrupted; finished prompts are kept"})
final class RunCommand implements Callable<Integer> {
  static final String DEFAULT_BASE_URL = "http://localhost:8000/v1";

  private final RunnerFactory factory;
  private final Map<String, String> env;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"--data", "--data_path"}, required = true, paramLabel = "FILE",
      description = "Prompts: a JSON array of strings, or JSON Lines of objects with \"id\" and"
          + " \"prompt\" (or \"instruction\").")
  Path data;

  @Option(names = "--base-url", paramLabel = "URL",
      description = "OpenAI-compatible base URL of the policy server. Default: "
          + DEFAULT_BASE_URL + ".")
  String baseUrl;

  @Option(names = "--ip", paramLabel = "HOST", hidden = false,
      description = "Alias (reference): host of the policy server; the base URL becomes"
          + " http://HOST:PORT/v1.")
  String ip;

  @Option(names = "--port", paramLabel = "PORT",
      description = "Alias (reference): port of the policy server (default 8000 with --ip).")
  Integer port;

  @Option(names = {"--model", "--server_model"}, paramLabel = "NAME",
      description = "Policy model name as the server knows it. Default: the only model the"
          + " server lists.")
  String model;

  @Option(names = "--api-key", paramLabel = "KEY",
      description = "API key of the policy server. Default: the TPO_API_KEY environment"
          + " variable, else none. Never printed.")
  String apiKey;

  @Option(names = "--reward", paramLabel = "SPEC", defaultValue = "judge",
      description = "Reward scorer: vllm+http://HOST:PORT[/classify], tei+http://HOST:PORT,"
          + " judge (the policy model grades), or a local model directory (djl:/dir or /dir)."
          + " Default: ${DEFAULT-VALUE}.")
  String reward;

  @Option(names = {"--mode", "--tpo_mode"}, paramLabel = "MODE", defaultValue = "tpo",
      description = "tpo, revision (no rejected response) or bon (best of N, no rewriting)."
          + " Default: ${DEFAULT-VALUE}.")
  String mode;

  @Option(names = {"--samples", "--sample_size"}, paramLabel = "N", defaultValue = "5",
      description = "Candidates sampled per round (N). Default: ${DEFAULT-VALUE}.")
  int samples;

  @Option(names = {"--iterations", "--max_iterations"}, paramLabel = "D", defaultValue = "2",
      description = "Refinement rounds (D); 0 is best of N. Default: ${DEFAULT-VALUE}.")
  int iterations;

  @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.7",
      description = "Sampling temperature. Default: ${DEFAULT-VALUE}.")
  double temperature;

  @Option(names = {"--top-p", "--top_p"}, paramLabel = "P", defaultValue = "0.95",
      description = "Nucleus-sampling mass. Default: ${DEFAULT-VALUE}.")
  double topP;

  @Option(names = "--seed", paramLabel = "SEED", defaultValue = "7",
      description = "Sampling seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = {"--max-tokens-response", "--max_tokens_response"}, paramLabel = "TOKENS",
      defaultValue = "2048",
      description = "Most tokens per generated response. Default: ${DEFAULT-VALUE}.")
  int maxTokensResponse;

  @Option(names = {"--max-tokens-all", "--max_tokens_all"}, paramLabel = "TOKENS",
      defaultValue = "8192",
      description = "Most tokens of a whole request, prompt and response. Default:"
          + " ${DEFAULT-VALUE}.")
  int maxTokensAll;

  @Option(names = {"--concurrency", "--num_threads"}, paramLabel = "K", defaultValue = "4",
      description = "Prompts optimized at once. Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Option(names = "--out", paramLabel = "FILE",
      description = "JSONL results file, appended to and resumed from. Default:"
          + " tpo-results/<data name>-<mode>-d<D>-n<N>.jsonl.")
  Path out;

  @Option(names = "--trace-dir", paramLabel = "DIR",
      description = "Write one full JSON trace per prompt here (rounds, critiques, gradients).")
  Path traceDir;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
      description = "Timeout of one HTTP request. Default: ${DEFAULT-VALUE}.")
  int timeoutSeconds;

  @Option(names = "--max-retries", paramLabel = "N", defaultValue = "3",
      description = "Retries of a request that failed with 429, 5xx or a dropped connection."
          + " Default: ${DEFAULT-VALUE}.")
  int maxRetries;

  @Option(names = "--progress", paramLabel = "STYLE", defaultValue = "auto",
      description = "auto (bar on a terminal, else lines), bar, log or off. Default:"
          + " ${DEFAULT-VALUE}.")
  ProgressStyle progress;

  @Option(names = "--progress-interval", paramLabel = "SECONDS", defaultValue = "5",
      description = "Seconds between progress lines when stderr is not a terminal. Default:"
          + " ${DEFAULT-VALUE}.")
  int progressInterval;

  @Option(names = "--verbose", description = "Log the library's INFO messages to stderr.")
  boolean verbose;

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
    return new dev.tpo.cli.run.TpoRunnerFactory();
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    RunConfig config;
    List<Prompt> prompts;
    try {
      config = config();
      prompts = PromptLoader.load(data);
    } catch (ConfigurationException e) {
      err.println("tpo run: " + e.getMessage());
      err.flush();
      return ExitCodes.USAGE;
    }
    Path outFile = out != null ? out : defaultOut();
    UnaryOperator<String> scrub = scrubber(config.apiKey());
    long startNanos = System.nanoTime();
    try (ResultsStore store = ResultsStore.open(outFile)) {
      reportRecovery(err, store);
      Set<String> done = store.doneIds();
      List<Prompt> todo = prompts.stream().filter(p -> !done.contains(p.id()))
          .collect(Collectors.toList());
      int skipped = prompts.size() - todo.size();
      if (todo.isEmpty()) {
        err.println("tpo run: all " + prompts.size() + " prompts of " + data
            + " already have results in " + outFile + "; nothing to do");
        printSummary(err, prompts, store, skipped, 0, 0, List.of(), startNanos);
        return ExitCodes.OK;
      }
      ProgressReporter reporter = new ProgressReporter(todo.size(), System.err, progress,
          Duration.ofSeconds(Math.max(1, progressInterval)));
      RunnerFactory.Prepared prepared;
      try {
        prepared = factory.prepare(config, reporter);
      } catch (TpoException e) {
        err.println("tpo run: " + scrub.apply(messageOf(e)));
        err.flush();
        return e instanceof ConfigurationException ? ExitCodes.USAGE : ExitCodes.UNAVAILABLE;
      }
      Map<String, String> stamp = new LinkedHashMap<>();
      stamp.put("mode", config.mode());
      stamp.put("model", prepared.model());
      err.println("tpo run: " + todo.size() + " prompts to run (" + skipped
          + " already done) with " + prepared.model() + " at " + config.baseUrl() + ", mode "
          + config.mode() + ", N=" + config.samples() + ", D=" + config.iterations()
          + ", reward " + config.reward() + "; results -> " + outFile);
      err.flush();
      RunDriver driver = new RunDriver(prepared.runner(), store, Optional.ofNullable(traceDir),
          config.concurrency(), reporter, stamp, scrub);
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
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running; it has stopped the driver
        }
        close(prepared.resources());
      }
      printSummary(err, prompts, store, skipped, outcome.failed(), outcome.notRun(),
          outcome.written(), startNanos);
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
    }
  }

  private void printSummary(PrintWriter err, List<Prompt> prompts, ResultsStore store,
      int skipped, int failed, int notRun, List<StoredResult> written, long startNanos) {
    Set<String> ids = prompts.stream().map(Prompt::id).collect(Collectors.toSet());
    List<StoredResult> every = new ArrayList<>();
    for (StoredResult r : store.results()) {
      if (ids.contains(r.id()) && !r.failed()) {
        every.add(r);
      }
    }
    RunSummary summary = RunSummary.of(prompts.size(), skipped, failed, notRun, every, written,
        Duration.ofNanos(System.nanoTime() - startNanos));
    err.print(summary.render());
    err.println("  results: " + store.file());
    err.flush();
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

  private Path defaultOut() {
    String name = data.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    return Path.of("tpo-results", stem + "-" + mode.toLowerCase(Locale.ROOT) + "-d"
        + iterations + "-n" + samples + ".jsonl");
  }

  /**
   * Resolves and validates the options.
   *
   * @return the run's settings
   * @throws ConfigurationException naming the option, the value and what is allowed
   */
  RunConfig config() {
    String url = baseUrl;
    if (ip != null || port != null) {
      if (baseUrl != null) {
        throw new ConfigurationException(
            "--base-url " + baseUrl + " and --ip/--port both set the server; give one of them");
      }
      int p = port == null ? 8000 : port;
      if (p < 1 || p > 65535) {
        throw new ConfigurationException("--port must be between 1 and 65535, got " + p);
      }
      url = "http://" + (ip == null ? "localhost" : ip) + ":" + p + "/v1";
    }
    if (url == null) {
      url = DEFAULT_BASE_URL;
    }
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new ConfigurationException(
          "--base-url must start with http:// or https://, got '" + url + "' (for example "
              + DEFAULT_BASE_URL + ")");
    }
    String m = mode.trim().toLowerCase(Locale.ROOT);
    if (!List.of("tpo", "revision", "bon").contains(m)) {
      throw new ConfigurationException(
          "--mode must be tpo, revision or bon, got '" + mode + "'");
    }
    requireAtLeast("--samples", samples, 1);
    if (samples > 256) {
      throw new ConfigurationException("--samples must be at most 256, got " + samples);
    }
    requireAtLeast("--iterations", iterations, 0);
    if (!(temperature >= 0 && temperature <= 2)) {
      throw new ConfigurationException(
          "--temperature must be between 0 and 2, got " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new ConfigurationException(
          "--top-p must be greater than 0 and at most 1, got " + topP);
    }
    requireAtLeast("--max-tokens-response", maxTokensResponse, 1);
    requireAtLeast("--max-tokens-all", maxTokensAll, 2);
    if (maxTokensResponse >= maxTokensAll) {
      throw new ConfigurationException(
          "--max-tokens-response (" + maxTokensResponse + ") must be less than --max-tokens-all ("
              + maxTokensAll + "), which also has to hold the prompt");
    }
    requireAtLeast("--concurrency", concurrency, 1);
    requireAtLeast("--timeout", timeoutSeconds, 1);
    requireAtLeast("--max-retries", maxRetries, 0);
    if (reward == null || reward.isBlank()) {
      throw new ConfigurationException(
          "--reward is empty; give judge, vllm+http://HOST:PORT, tei+http://HOST:PORT or a model"
              + " directory");
    }
    String key = apiKey != null ? apiKey : env.get("TPO_API_KEY");
    if (key != null && key.isBlank()) {
      key = null;
    }
    return new RunConfig(url, Optional.ofNullable(model).filter(s -> !s.isBlank()),
        Optional.ofNullable(key), reward.trim(), m, samples, iterations, temperature, topP, seed,
        maxTokensResponse, maxTokensAll, concurrency, Duration.ofSeconds(timeoutSeconds),
        maxRetries);
  }

  private static void requireAtLeast(String option, long value, long min) {
    if (value < min) {
      throw new ConfigurationException(option + " must be at least " + min + ", got " + value);
    }
  }

  /**
   * A replacement of every occurrence of the API key by {@code ***}.
   *
   * @param apiKey the key, if any
   * @return the scrubber (the identity without a key)
   */
  static UnaryOperator<String> scrubber(Optional<String> apiKey) {
    if (apiKey.isEmpty() || apiKey.get().length() < 4) {
      return s -> s;
    }
    String key = apiKey.get();
    return s -> s == null ? null : s.replace(key, "***");
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
