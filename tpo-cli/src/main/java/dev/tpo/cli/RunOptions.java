package dev.tpo.cli;

import dev.tpo.TpoSettings;
import dev.tpo.cli.progress.ProgressStyle;
import dev.tpo.cli.run.RunConfig;
import dev.tpo.core.error.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of {@code tpo run}, with the reference run script's names as aliases, and their
 * validation into a {@link RunConfig}. The TPO settings' defaults are not spelled here: {@link
 * SettingsDefaults} reads them from {@link TpoSettings#DEFAULTS}.
 *
 * <p>Not thread-safe: picocli fills one instance per invocation.
 */
final class RunOptions {
  static final String DEFAULT_BASE_URL = "http://localhost:8000/v1";

  @Option(names = {"--data", "--data_path"}, required = true, paramLabel = "FILE",
      description = "Prompts: a JSON array of strings, or JSON Lines of objects with \"id\" and"
          + " \"prompt\" (or \"instruction\").")
  Path data;

  @Option(names = "--policy", paramLabel = "SPEC",
      description = "A policy model run in process (llama.cpp, CPU) instead of a server:"
          + " llama:/PATH/MODEL.gguf, hf:OWNER/REPO/FILE.gguf[@REVISION] (downloaded once into"
          + " the cache, TPO_CACHE), or embedded (the small default model). Default: the"
          + " TPO_POLICY environment variable; with no server configured either (no --base-url,"
          + " --ip, TPO_BASE_URL), embedded. See docs/local-models.md.")
  String policy;

  @Option(names = "--base-url", paramLabel = "URL",
      description = "OpenAI-compatible base URL of the policy server; repeat it for several"
          + " servers of the same model (runs are balanced over them). Default: the"
          + " TPO_BASE_URL environment variable (comma-separated); with neither it nor a policy"
          + " (--policy, TPO_POLICY) set, the embedded in-process model.")
  List<String> baseUrls;

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

  @Option(names = "--reward-api-key", paramLabel = "KEY",
      description = "API key of the reward server. Default: the TPO_REWARD_API_KEY environment"
          + " variable, else the policy server's key. Never printed.")
  String rewardApiKey;

  @Option(names = "--reward", paramLabel = "SPEC",
      description = "Reward scorer: vllm+http://HOST:PORT[/classify], tei+http://HOST:PORT,"
          + " judge (the policy model grades), or a local model directory (djl:/dir or /dir);"
          + " repeat it for several servers of the same reward model. Default: the TPO_REWARD"
          + " environment variable (comma-separated), else judge.")
  List<String> rewards;

  @Option(names = {"--mode", "--tpo_mode"}, paramLabel = "MODE", defaultValue = "tpo",
      description = "tpo, revision (no rejected response) or bon (best of N, no rewriting)."
          + " Default: ${DEFAULT-VALUE}.")
  String mode;

  @Option(names = {"--samples", "--sample_size"}, paramLabel = "N",
      description = "Candidates sampled per round (N). Default: ${DEFAULT-VALUE}.")
  Integer samples;

  @Option(names = {"--iterations", "--max_iterations"}, paramLabel = "D",
      description = "Refinement rounds (D); 0 is best of N. Default: ${DEFAULT-VALUE}.")
  Integer iterations;

  @Option(names = "--temperature", paramLabel = "T",
      description = "Sampling temperature. Default: ${DEFAULT-VALUE}.")
  Double temperature;

  @Option(names = {"--top-p", "--top_p"}, paramLabel = "P",
      description = "Nucleus-sampling mass. Default: ${DEFAULT-VALUE}.")
  Double topP;

  @Option(names = "--seed", paramLabel = "SEED",
      description = "Sampling seed. Default: ${DEFAULT-VALUE}.")
  Long seed;

  @Option(names = {"--max-tokens-response", "--max_tokens_response", "--max-tokens"},
      paramLabel = "TOKENS",
      description = "Most tokens per generated response (the library's maxTokens). Default:"
          + " ${DEFAULT-VALUE}.")
  Integer maxTokensResponse;

  @Option(names = {"--max-tokens-all", "--max_tokens_all", "--max-context-tokens"},
      paramLabel = "TOKENS",
      description = "Most tokens of a whole request, prompt and response (the library's"
          + " maxContextTokens). Default: ${DEFAULT-VALUE}.")
  Integer maxTokensAll;

  // Early stop (issue 19): off unless asked for; the library checks the values.
  @Option(names = "--early-stop-rounds", paramLabel = "K",
      description = "Stop refining a prompt once its best score has not risen by more than"
          + " --early-stop-margin for K rounds in a row; 0 is off. Default: ${DEFAULT-VALUE}.")
  Integer earlyStopRounds;

  @Option(names = "--early-stop-margin", paramLabel = "DELTA",
      description = "The rise of the best score that counts as an improvement for"
          + " --early-stop-rounds. Default: ${DEFAULT-VALUE}.")
  Double earlyStopMargin;

  @Option(names = "--stop-at-max-score",
      description = "Stop refining a prompt once its best score is the scorer's maximum (the"
          + " judge's top rating; reward models have none).")
  Boolean stopAtMaxScore;

  @Option(names = "--prompt-layout", paramLabel = "LAYOUT",
      description = "reference (the reference's prompts) or prefix-shared (the loss, gradient and"
          + " update requests of a round start with the same block, so a server's prefix cache"
          + " serves more of them; same requests and instructions). Default: ${DEFAULT-VALUE}.")
  String promptLayout;

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
      description = "Retries of a request (to the policy and to a reward server) that failed"
          + " with 429, 5xx or a dropped connection. Default: ${DEFAULT-VALUE}.")
  int maxRetries;

  @Option(names = "--prompt-retries", paramLabel = "N", defaultValue = "2",
      description = "Runs again, within this run, a prompt that failed with a transient fault"
          + " (connection, timeout, 429, 5xx, a cut-off or unreadable answer), after the other"
          + " prompts and a wait; 0 to 100. Default: ${DEFAULT-VALUE}.")
  int promptRetries;

  @Option(names = "--prompt-retry-wait", paramLabel = "SECONDS", defaultValue = "2",
      description = "Least wait before a prompt's first retry, doubled on each further one (at"
          + " most 60 s). Default: ${DEFAULT-VALUE}.")
  double promptRetryWait;

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

  @Option(names = "--stream-scoring",
      description = "Score each candidate as soon as it is generated (stream=true) while the"
          + " others are still being generated; for served reward models (vllm+, tei+). Same"
          + " results; falls back to plain requests on a server that does not stream n > 1.")
  boolean streamScoring;

  @Option(names = "--max-in-flight-per-server", paramLabel = "N",
      description = "With several --base-url servers: requests in flight on one server at most"
          + " (default 32); the others wait for a slot there, or move with"
          + " --spill-after-queued.")
  Integer maxInFlightPerServer;

  @Option(names = "--spill-after-queued", paramLabel = "N",
      description = "With several --base-url servers: when a run's server is full and N of its"
          + " requests already wait there, the next one goes to a server with a free slot and the"
          + " run stays there (0 moves at once). Default: never; each run keeps one server, whose"
          + " prefix cache holds its prompts.")
  Integer spillAfterQueued;

  /**
   * The results file when {@code --out} is not given.
   *
   * @return {@code tpo-results/<data name>-<mode>-d<D>-n<N>.jsonl}
   */
  Path defaultOut() {
    String name = data.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    return Path.of("tpo-results", stem + "-" + mode.toLowerCase(Locale.ROOT) + "-d"
        + iterations + "-n" + samples + ".jsonl");
  }

  /**
   * Resolves and validates the options.
   *
   * @param env the environment, for {@code TPO_API_KEY} and {@code TPO_REWARD_API_KEY}
   * @return the run's settings
   * @throws ConfigurationException naming the option, the value and what is allowed
   */
  RunConfig config(Map<String, String> env) {
    Optional<String> inProcess = inProcessPolicy(env);
    List<String> urls = inProcess.isPresent() ? List.of()
        : listOf(baseUrls, env.get("TPO_BASE_URL"));
    if (ip != null || port != null) {
      if (baseUrls != null && !baseUrls.isEmpty()) {
        throw new ConfigurationException("--base-url " + String.join(",", baseUrls)
            + " and --ip/--port both set the server; give one of them");
      }
      int p = port == null ? 8000 : port;
      if (p < 1 || p > 65535) {
        throw new ConfigurationException("--port must be between 1 and 65535, got " + p);
      }
      urls = List.of("http://" + (ip == null ? "localhost" : ip) + ":" + p + "/v1");
    }
    if (urls.isEmpty() && inProcess.isEmpty()) {
      urls = List.of(DEFAULT_BASE_URL);
    }
    for (String url : urls) {
      if (!url.startsWith("http://") && !url.startsWith("https://")) {
        throw new ConfigurationException(
            "--base-url must start with http:// or https://, got '" + url + "' (for example "
                + DEFAULT_BASE_URL + ")");
      }
    }
    requireDistinct("--base-url", urls);
    List<String> specs = listOf(rewards, env.get("TPO_REWARD"));
    if (rewards != null && specs.isEmpty()) {
      throw new ConfigurationException(
          "--reward is empty; give judge, vllm+http://HOST:PORT, tei+http://HOST:PORT or a model"
              + " directory");
    }
    if (specs.isEmpty()) {
      specs = List.of("judge");
    }
    requireDistinct("--reward", specs);
    String m = mode.trim().toLowerCase(Locale.ROOT);
    if (!List.of("tpo", "revision", "bon").contains(m)) {
      throw new ConfigurationException(
          "--mode must be tpo, revision or bon, got '" + mode + "'");
    }
    // Options not given (no default provider, as when parsed on their own) take the library's.
    TpoSettings d = TpoSettings.DEFAULTS;
    int samples = this.samples != null ? this.samples : d.samples();
    int iterations = this.iterations != null ? this.iterations : d.iterations();
    double temperature = this.temperature != null ? this.temperature : d.temperature();
    double topP = this.topP != null ? this.topP : d.topP();
    long seed = this.seed != null ? this.seed : d.seed();
    int maxTokensResponse =
        this.maxTokensResponse != null ? this.maxTokensResponse : d.maxTokens();
    int maxTokensAll = this.maxTokensAll != null ? this.maxTokensAll : d.maxContextTokens();
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
    requireAtLeast("--progress-interval", progressInterval, 1);
    requireAtLeast("--prompt-retries", promptRetries, 0);
    if (promptRetries > 100) {
      throw new ConfigurationException("--prompt-retries must be at most 100, got "
          + promptRetries);
    }
    if (!(promptRetryWait >= 0 && promptRetryWait <= 3600)) {
      throw new ConfigurationException(
          "--prompt-retry-wait must be between 0 and 3600 seconds, got " + promptRetryWait);
    }
    requireAtLeast("--timeout", timeoutSeconds, 1);
    requireAtLeast("--max-retries", maxRetries, 0);
    if (maxRetries > 20) {
      throw new ConfigurationException("--max-retries must be at most 20, got " + maxRetries);
    }
    Optional<String> key = firstKey(apiKey, env.get("TPO_API_KEY"));
    Optional<String> rewardKey = firstKey(rewardApiKey, env.get("TPO_REWARD_API_KEY"));
    TpoSettings settings = TpoSettings.builder()
        .samples(samples)
        .iterations(iterations)
        .temperature(temperature)
        .topP(topP)
        .seed(seed)
        .maxTokens(maxTokensResponse)
        .maxContextTokens(maxTokensAll)
        .earlyStopRounds(earlyStopRounds)
        .earlyStopMargin(earlyStopMargin)
        .stopAtMaxScore(stopAtMaxScore)
        .promptLayout(promptLayout == null ? null : dev.tpo.PromptLayout.of(promptLayout))
        .build();
    return new RunConfig(String.join(",", urls),
        Optional.ofNullable(model).filter(s -> !s.isBlank()),
        key, rewardKey, String.join(",", specs), m, settings, concurrency,
        Duration.ofSeconds(timeoutSeconds), maxRetries, inProcess)
        .withStreamScoring(streamScoring)
        .withBalancing(balancing(urls.size()));
  }

  /**
   * The policy model run in process, if any: {@code --policy}; else none when a server is given
   * on the command line ({@code --base-url}, {@code --ip}, {@code --port}); else {@code
   * TPO_POLICY}; else none when {@code TPO_BASE_URL} is set; else the embedded default.
   */
  private Optional<String> inProcessPolicy(Map<String, String> env) {
    boolean serverOption = (baseUrls != null && !baseUrls.isEmpty()) || ip != null
        || port != null;
    Optional<String> spec;
    if (policy != null) {
      if (policy.isBlank()) {
        throw new ConfigurationException("--policy is empty; give llama:/PATH/MODEL.gguf,"
            + " hf:OWNER/REPO/FILE.gguf[@REVISION] or " + RunConfig.EMBEDDED);
      }
      if (serverOption) {
        throw new ConfigurationException("--policy " + policy.trim() + " and --base-url/--ip/"
            + "--port both set the policy model; give one of them");
      }
      spec = Optional.of(policy.trim());
    } else if (serverOption) {
      spec = Optional.empty();
    } else {
      String fromEnv = env.get("TPO_POLICY");
      String url = env.get("TPO_BASE_URL");
      spec = fromEnv != null && !fromEnv.isBlank() ? Optional.of(fromEnv.trim())
          : url != null && !url.isBlank() ? Optional.empty()
          : Optional.of(RunConfig.EMBEDDED);
    }
    if (spec.isPresent() && model != null) {
      throw new ConfigurationException("--model " + model + " names a model on a policy server,"
          + " but the policy runs in process (" + spec.get() + "); drop --model, or give the"
          + " server with --base-url");
    }
    return spec;
  }

  /** The balancer's settings; only with several policy servers, each option in its range. */
  private RunConfig.Balancing balancing(int servers) {
    if (maxInFlightPerServer == null && spillAfterQueued == null) {
      return RunConfig.Balancing.DEFAULT;
    }
    String given = maxInFlightPerServer != null
        ? "--max-in-flight-per-server " + maxInFlightPerServer
        : "--spill-after-queued " + spillAfterQueued;
    if (servers < 2) {
      throw new ConfigurationException(given + " shares requests among several policy servers,"
          + " but the run has " + (servers == 0 ? "none (the model runs in process)" : "one")
          + "; give --base-url once per server (or TPO_BASE_URL=URL1,URL2), or drop it");
    }
    if (maxInFlightPerServer != null) {
      requireAtLeast("--max-in-flight-per-server", maxInFlightPerServer, 1);
    }
    if (spillAfterQueued != null) {
      requireAtLeast("--spill-after-queued", spillAfterQueued, 0);
    }
    return new RunConfig.Balancing(maxInFlightPerServer == null ? 0 : maxInFlightPerServer,
        spillAfterQueued == null ? -1 : spillAfterQueued);
  }

  /**
   * The values of a repeatable option, else of a comma-separated environment variable; blanks
   * dropped, each trimmed.
   */
  private static List<String> listOf(List<String> option, String env) {
    List<String> raw = option != null && !option.isEmpty() ? option
        : env == null ? List.of() : List.of(env.split(","));
    return raw.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
  }

  private static void requireDistinct(String option, List<String> values) {
    if (new java.util.HashSet<>(values).size() != values.size()) {
      throw new ConfigurationException(option + " was given the same value twice in "
          + String.join(",", values) + "; list each server once");
    }
  }

  private static Optional<String> firstKey(String option, String env) {
    String key = option != null ? option : env;
    return key == null || key.isBlank() ? Optional.empty() : Optional.of(key);
  }

  private static void requireAtLeast(String option, long value, long min) {
    if (value < min) {
      throw new ConfigurationException(option + " must be at least " + min + ", got " + value);
    }
  }

  /**
   * Gives the options that map to {@link TpoSettings} their defaults from {@link
   * TpoSettings#DEFAULTS} (so the help shows them); other options keep their own. Stateless;
   * thread-safe.
   */
  static final class SettingsDefaults implements CommandLine.IDefaultValueProvider {
    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
      if (!(arg instanceof CommandLine.Model.OptionSpec option)) {
        return null;
      }
      TpoSettings d = TpoSettings.DEFAULTS;
      Object value = switch (option.longestName()) {
        case "--samples", "--sample_size" -> d.samples();
        case "--iterations", "--max_iterations" -> d.iterations();
        case "--temperature" -> d.temperature();
        case "--top-p", "--top_p" -> d.topP();
        case "--seed" -> d.seed();
        case "--max-tokens-response", "--max_tokens_response", "--max-tokens" -> d.maxTokens();
        case "--max-tokens-all", "--max_tokens_all", "--max-context-tokens" ->
            d.maxContextTokens();
        case "--early-stop-rounds" -> d.earlyStopRounds();
        case "--early-stop-margin" -> d.earlyStopMargin();
        case "--prompt-layout" -> d.promptLayout().name().toLowerCase(Locale.ROOT).replace('_', '-');
        default -> null;
      };
      return value == null ? null : String.valueOf(value);
    }
  }
}
