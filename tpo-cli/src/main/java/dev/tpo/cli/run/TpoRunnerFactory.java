package dev.tpo.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tpo.PoolEntry;
import dev.tpo.RoundRecord;
import dev.tpo.Tpo;
import dev.tpo.TpoMode;
import dev.tpo.TpoRequest;
import dev.tpo.TpoResult;
import dev.tpo.adapter.balance.RunAffinity;
import dev.tpo.adapter.http.JsonBuffers;
import dev.tpo.adapter.openai.ModelProbe;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.cli.data.Prompt;
import dev.tpo.core.error.AuthenticationException;
import dev.tpo.core.error.ConfigurationException;
import dev.tpo.core.error.ConnectionFailedException;
import dev.tpo.core.error.Futures;
import dev.tpo.core.error.ModelNotFoundException;
import dev.tpo.core.error.RewardScoringException;
import dev.tpo.core.error.TpoException;
import dev.tpo.core.event.TpoListener;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.model.LanguageModels;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorers;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The factory {@code tpo run} uses: loads the in-process policy model when the run has one
 * ({@link RunConfig#policy()}, through {@link LanguageModels}), else probes the policy server
 * ({@link ModelProbe}) and builds an {@link OpenAiCompatibleModel}; resolves the reward spec with {@link RewardScorers#fromSpec} and
 * scores one probe pair with it, then builds a {@link Tpo} with the run's settings. When the run
 * names its model ({@code --model}) the probes run on a thread of their own alongside the first
 * requests ({@link RunnerFactory.Prepared#checks()}). Each prompt runs
 * through {@link Tpo#optimize(TpoRequest)} with the prompt's id as the run id.
 *
 * <p>Stateless; thread-safe.
 */
public final class TpoRunnerFactory implements RunnerFactory {
  private static final ObjectMapper JSON = new ObjectMapper(JsonBuffers.factory());
  /** The policy probe's bound: {@code GET /v1/models} must answer within it. */
  static final Duration POLICY_PROBE_TIMEOUT = Duration.ofSeconds(5);
  /** The reward probe's bound at most: {@code --timeout}, between 10 s and this. */
  static final Duration REWARD_PROBE_TIMEOUT = Duration.ofSeconds(60);

  @Override
  public void check(RunConfig config) {
    config.policy().filter(p -> !p.equals(RunConfig.EMBEDDED)).ifPresent(spec -> {
      if (!LanguageModels.isSupported(spec)) {
        LanguageModels.fromSpec(spec); // words the error: the accepted specs, the module to add
      }
    });
    for (String spec : config.rewards()) {
      checkRewardSpec(spec);
    }
  }

  /**
   * Checks the reward spec's syntax without the network: exactly one provider accepts it, and an
   * HTTP spec ({@code vllm+}, {@code tei+}) parses into a scorer (building one sends nothing).
   *
   * @param spec the spec
   * @throws ConfigurationException naming the spec and the accepted forms
   */
  static void checkRewardSpec(String spec) {
    List<dev.tpo.core.reward.RewardScorerProvider> matching = RewardScorers.providers().stream()
        .filter(p -> p.supports(spec.trim())).toList();
    if (matching.size() != 1) {
      // fromSpec words both errors (none, several) and lists the accepted forms
      RewardScorers.fromSpec(spec, RewardScorerContext.DEFAULT);
      return;
    }
    String name = matching.get(0).name();
    if (name.equals("vllm") || name.equals("tei")) {
      RewardScorer scorer = matching.get(0).create(spec.trim(), RewardScorerContext.DEFAULT);
      if (scorer instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception ignored) {
          // nothing was opened
        }
      }
    }
  }

  @Override
  public Prepared prepare(RunConfig config, TpoListener listener) {
    TpoMode mode = TpoMode.of(config.mode());
    List<String> warnings = new ArrayList<>();
    List<AutoCloseable> resources = new ArrayList<>();
    // With the model named, nothing the run needs comes from the probes: they run alongside the
    // first requests (issue 21) and the run stops when they fail (RunnerFactory.Prepared#checks).
    boolean alongside = config.policy().isEmpty() && config.model().isPresent();
    LanguageModel policy;
    String model;
    if (config.policy().isPresent()) {
      policy = inProcess(config.policy().get());
      if (policy instanceof AutoCloseable c) {
        resources.add(c);
      }
      model = policy.name();
    } else if (alongside) {
      model = config.model().get();
      policy = ServerSet.policy(config, model, resources);
    } else {
      ModelProbe.Resolution resolution = resolveModel(config.baseUrls().get(0), config.apiKey(),
          config.model(), config.timeout());
      resolution.warning().ifPresent(warnings::add);
      model = resolution.model();
      for (String other : config.baseUrls().subList(1, config.baseUrls().size())) {
        resolveModel(other, config.apiKey(), Optional.of(model)); // every server serves it
      }
      policy = ServerSet.policy(config, model, resources);
    }
    try {
      RewardScorerContext context = RewardScorerContext.DEFAULT.withJudgeModel(policy)
          .withTimeout(config.timeout()).withMaxRetries(config.maxRetries());
      Optional<String> rewardKey = config.rewardApiKey().or(config::apiKey);
      if (rewardKey.isPresent()) {
        context = context.withApiKey(rewardKey.get());
      }
      // the judge on an in-process model cannot be down: no probe (on CPU it could outlast one)
      boolean inProcessJudge = config.policy().isPresent()
          && config.rewards().stream().allMatch(r -> r.trim().equalsIgnoreCase("judge"));
      List<RewardScorer> toProbe = new ArrayList<>();
      RewardScorer scorer = ServerSet.scorer(config, context,
          inProcessJudge ? s -> { } : alongside ? toProbe::add : s -> probeScorer(config, s),
          resources);
      ServerSet.showInProgress(listener, policy, scorer);
      CompletableFuture<List<String>> checks;
      if (alongside) {
        checks = CompletableFuture.supplyAsync(() -> {
          List<String> found = new ArrayList<>();
          resolveModel(config.baseUrls().get(0), config.apiKey(), config.model(),
              config.timeout()).warning().ifPresent(found::add);
          for (String other : config.baseUrls().subList(1, config.baseUrls().size())) {
            resolveModel(other, config.apiKey(), Optional.of(model));
          }
          for (RewardScorer s : toProbe) {
            probeScorer(config, s);
          }
          judgeFallback(scorer).ifPresent(found::add);
          return found;
        }, TpoRunnerFactory::probeThread);
      } else {
        judgeFallback(scorer).ifPresent(warnings::add);
        checks = CompletableFuture.completedFuture(List.of());
      }
      Tpo tpo = Tpo.builder()
          .policy(policy)
          .scorer(scorer)
          .mode(mode)
          .settings(config.settings())
          .listener(listener)
          .streamScoring(config.streamScoring())
          .build();
      // the prompt's id keeps a run's requests on one server when there are several
      return new Prepared(prompt -> outcome(RunAffinity.call(prompt.id(), () -> tpo.optimize(
          TpoRequest.builder(prompt.text()).id(prompt.id()).build())), prompt), model,
          resources, warnings, checks);
    } catch (RuntimeException e) {
      for (AutoCloseable c : resources) {
        try {
          c.close();
        } catch (Exception ignored) {
          // the failure being reported matters more
        }
      }
      throw e;
    }
  }

  /** Runs the probes on a daemon thread of their own, so that they never hold the JVM up. */
  private static void probeThread(Runnable probes) {
    Thread t = new Thread(probes, "tpo-probes");
    t.setDaemon(true);
    t.start();
  }

  /** The warning of a judge whose server refused structured output, once it has been probed. */
  private static Optional<String> judgeFallback(RewardScorer scorer) {
    if (scorer instanceof dev.tpo.adapter.reward.JudgeRewardScorer judge
        && judge.structuredOutputFallbacks() > 0) {
      return Optional.of("the judge's server rejected structured output (response_format: "
          + judge.structuredOutputFallbackReason().orElse("?") + "); the judge uses its"
          + " tagged plain-text format (<score>N</score>)");
    }
    return Optional.empty();
  }

  /**
   * Loads the in-process policy model: the embedded default ({@link
   * LanguageModels#embeddedDefault()}, which says on stderr which model it is and where it is
   * cached) or the one the spec names. A download that cannot reach the hub is a {@link
   * ConnectionFailedException} (exit 3) whose message names what to set; a bad spec, a missing
   * or broken file, or offline mode without the file is a {@link ConfigurationException} (exit 2).
   *
   * @param spec {@link RunConfig#EMBEDDED} or a spec such as {@code llama:/models/x.gguf}
   * @return the loaded model
   */
  static LanguageModel inProcess(String spec) {
    try {
      return spec.equals(RunConfig.EMBEDDED) ? LanguageModels.embeddedDefault()
          : LanguageModels.fromSpec(spec);
    } catch (ConfigurationException e) {
      if (e.getCause() instanceof ConnectionFailedException) {
        throw new ConnectionFailedException(e.getMessage(), e);
      }
      throw e;
    }
  }

  /**
   * Finds the model to use with {@link ModelProbe#resolveModel}: the one asked for, checked
   * against the server's list, or the server's only model when none was asked for. The probe's
   * failures keep their type (so their exit code) and gain the command-line option that fixes them.
   *
   * @param baseUrl the policy server's base URL
   * @param apiKey the API key, if any (sent as a bearer token, never shown)
   * @param model the model asked for, if any
   * @return the model name to use
   * @throws ConnectionFailedException when the server cannot be reached (the message names the
   *     URL)
   * @throws AuthenticationException when the server refuses the key
   * @throws ModelNotFoundException when the model is not served, or none was asked for and the
   *     server serves several
   */
  static String resolveModel(String baseUrl, Optional<String> apiKey, Optional<String> model) {
    return resolveModel(baseUrl, apiKey, model, Duration.ofSeconds(60)).model();
  }

  /**
   * Like {@link #resolveModel(String, Optional, Optional)}, keeping the probe's warning.
   *
   * @param baseUrl the policy server's base URL
   * @param apiKey the API key, if any
   * @param model the model asked for, if any
   * @param timeout the run's request timeout (bounds the one-token request, at most 60 s)
   * @return the model and the warning, if any
   */
  static ModelProbe.Resolution resolveModel(String baseUrl, Optional<String> apiKey,
      Optional<String> model, Duration timeout) {
    try (ModelProbe probe = ModelProbe.builder().baseUrl(baseUrl).apiKey(apiKey.orElse(null))
        .connectTimeout(POLICY_PROBE_TIMEOUT).timeout(POLICY_PROBE_TIMEOUT).build()) {
      long bound = POLICY_PROBE_TIMEOUT.toSeconds();
      String what = "the policy server at " + probe.apiRoot();
      // First a plain GET /v1/models that must get an answer (any status) within the documented
      // bound: cheap, and not slowed by the SDK's first-use class loading on a busy machine.
      answersWithin(probe.apiRoot() + "/models", apiKey, POLICY_PROBE_TIMEOUT, what
          + " gave no answer in " + bound + " s to GET " + probe.apiRoot() + "/models; check"
          + " that it runs and answers at that URL. Point --base-url at it");
      // Then the model list through the SDK, and a one-token request when the model is not listed
      long chatBound = 60 + Math.min(timeout.toSeconds(), 60);
      return bounded(() -> probe.resolve(model), chatBound, what + " gave no answer in "
          + chatBound + " s to the model list or a one-token request for the model '"
          + model.orElse("?") + "'; check that it runs and serves that model");
    } catch (ConnectionFailedException e) {
      if (e.getMessage().contains("gave no answer in")) {
        throw e;
      }
      throw new ConnectionFailedException(withHint("cannot reach the policy server: "
          + e.getMessage(), "Point --base-url at it"), e);
    } catch (AuthenticationException e) {
      throw new AuthenticationException(withHint("the policy server refused the API key: "
          + e.getMessage(), "Pass the right key with --api-key or TPO_API_KEY"), e.statusCode(),
          e.responseBody(), e);
    } catch (ModelNotFoundException e) {
      throw new ModelNotFoundException(withHint(e.getMessage(),
          "Pass the model's name with --model"), e.statusCode(), e.responseBody(), e);
    }
  }

  /**
   * Sends {@code GET url} and waits at most {@code bound} for the connection and then for the
   * answer's status line; a server that refuses the connection is left to the next step, which
   * words that case.
   *
   * <p>Plain {@link java.net.HttpURLConnection}, not {@code java.net.http}: a few classes the JDK
   * has at hand instead of a second HTTP stack on the run's start-up path (issue 21), and its
   * bounds are socket timeouts, so a client starved of CPU while the run starts beside the probe
   * is not taken for a server that does not answer.
   *
   * @throws ConnectionFailedException with {@code noAnswer} when nothing came back in time
   */
  private static void answersWithin(String url, Optional<String> apiKey, Duration bound,
      String noAnswer) {
    java.net.HttpURLConnection http = null;
    try {
      http = (java.net.HttpURLConnection) java.net.URI.create(url).toURL().openConnection();
      int millis = (int) Math.min(Integer.MAX_VALUE, bound.toMillis());
      http.setConnectTimeout(millis);
      http.setReadTimeout(millis);
      http.setUseCaches(false);
      http.setInstanceFollowRedirects(false);
      if (apiKey.isPresent()) {
        http.setRequestProperty("Authorization", "Bearer " + apiKey.get());
      }
      http.getResponseCode();
    } catch (java.net.SocketTimeoutException e) {
      throw new ConnectionFailedException(noAnswer, null);
    } catch (java.net.ConnectException e) {
      throw new ConnectionFailedException("no OpenAI-compatible server answers at " + url
          + " (connection refused). Start the server (see docs/servers.md) or fix the base URL"
          + " and port", e);
    } catch (IOException | IllegalArgumentException e) {
      // reset, a bad URL: the SDK's probe says what it is
    } finally {
      if (http != null) {
        http.disconnect();
      }
    }
  }

  /** Runs a blocking probe step on a daemon thread and waits at most {@code seconds} for it. */
  private static <T> T bounded(java.util.function.Supplier<T> step, long seconds,
      String noAnswer) {
    java.util.concurrent.CompletableFuture<T> f = new java.util.concurrent.CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        f.complete(step.get());
      } catch (RuntimeException | Error e) {
        f.completeExceptionally(e);
      }
    }, "tpo-probe");
    t.setDaemon(true);
    t.start();
    try {
      return f.get(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      t.interrupt();
      throw new ConnectionFailedException(noAnswer, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectionFailedException("interrupted while probing: " + noAnswer, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw (Error) cause;
    }
  }

  private static String withHint(String message, String hint) {
    String m = message.strip();
    return m + (m.endsWith(".") || m.endsWith("?") ? " " : ". ") + hint;
  }

  private static void probeScorer(RunConfig config, RewardScorer scorer) {
    long seconds = Math.min(REWARD_PROBE_TIMEOUT.toSeconds(),
        Math.max(10, config.timeout().toSeconds()));
    try {
      RewardScorer checked = RewardScorer.checked(scorer);
      List<Double> scores = CompletableFuture
          .supplyAsync(() -> checked.score("Say hello.", List.of("Hello! How can I help you today?")))
          .get(seconds, TimeUnit.SECONDS);
      if (scores.size() != 1) {
        throw new RewardScoringException("returned " + scores.size() + " scores for 1 response");
      }
    } catch (ExecutionException e) {
      Throwable cause = Futures.unwrap(e);
      throw probeFailed(config, cause);
    } catch (TimeoutException e) {
      throw new RewardScoringException("the reward scorer '" + config.reward()
          + "' gave no answer in " + seconds + " s to a probe (one response to score); check"
          + " that its server runs and answers, or raise --timeout", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RewardScoringException("interrupted while probing the reward scorer", e);
    } catch (TpoException e) {
      throw probeFailed(config, e);
    }
  }

  private static TpoException probeFailed(RunConfig config, Throwable cause) {
    String msg = "the reward scorer '" + config.reward() + "' failed its probe: "
        + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
    if (cause instanceof ConfigurationException) {
      return new ConfigurationException(msg, cause);
    }
    return new RewardScoringException(msg + ". Check that the reward server is running and the"
        + " --reward spec is right", cause);
  }

  /**
   * Maps the library's result to what the results file and the trace record.
   *
   * @param r the result
   * @param prompt the prompt
   * @return the outcome
   */
  static PromptOutcome outcome(TpoResult r, Prompt prompt) {
    List<PromptOutcome.Candidate> pool = new ArrayList<>();
    Map<Integer, PoolEntry> byIndex = new HashMap<>();
    for (PoolEntry e : r.pool()) {
      pool.add(new PromptOutcome.Candidate(e.text(), e.score(), e.round()));
      byIndex.put(e.index(), e);
    }
    List<PromptOutcome.RoundTrace> rounds = new ArrayList<>();
    rounds.add(new PromptOutcome.RoundTrace(0, bestUpTo(r.pool(), 0), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty()));
    for (RoundRecord rr : r.rounds()) {
      rounds.add(new PromptOutcome.RoundTrace(rr.round(), bestUpTo(r.pool(), rr.round()),
          Optional.ofNullable(byIndex.get(rr.chosenIndex())).map(PoolEntry::text),
          Optional.ofNullable(rr.rejectedIndex()).map(byIndex::get).map(PoolEntry::text),
          Optional.ofNullable(rr.loss()),
          Optional.ofNullable(rr.gradient())));
    }
    JsonNode details;
    try {
      details = JSON.readTree(r.toJson());
    } catch (IOException e) {
      details = null;
    }
    return new PromptOutcome(r.answer(), r.bestScore(), pool, rounds, r.usage(),
        Optional.ofNullable(details));
  }

  private static double bestUpTo(List<PoolEntry> pool, int round) {
    return pool.stream().filter(e -> e.round() <= round).mapToDouble(PoolEntry::score).max()
        .orElse(Double.NaN);
  }
}
