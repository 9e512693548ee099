package dev.tpo.cli.run;

import dev.tpo.adapter.balance.BalancedLanguageModel;
import dev.tpo.adapter.balance.BalancedRewardScorer;
import dev.tpo.adapter.balance.EndpointStatus;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.cli.progress.ProgressReporter;
import dev.tpo.core.event.TpoListener;
import dev.tpo.core.model.LanguageModel;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.RewardScorerContext;
import dev.tpo.core.reward.RewardScorers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The policy and reward servers of a {@code tpo run}: one adapter when one base URL (or reward
 * spec) is given, a balancer ({@link BalancedLanguageModel}, {@link BalancedRewardScorer}) over
 * several; behind a balancer each server's adapter does not retry on its own, so a dead server is
 * left at once for another one, and the balancer tries up to {@code max(2 x servers,
 * --max-retries + 1)} servers per request.
 *
 * <p>Stateless; thread-safe.
 */
final class ServerSet {
  private ServerSet() {}

  /**
   * Builds the policy model.
   *
   * @param config the run's settings
   * @param model the model name, resolved on every server
   * @param resources where the adapters to close go
   * @return the model, balanced when several base URLs are given
   */
  static LanguageModel policy(RunConfig config, String model, List<AutoCloseable> resources) {
    List<String> urls = config.baseUrls();
    if (urls.size() == 1) {
      OpenAiCompatibleModel one = openAi(config, urls.get(0), model, config.maxRetries());
      resources.add(one);
      return one;
    }
    BalancedLanguageModel.Builder b = BalancedLanguageModel.builder()
        .maxAttempts(attempts(config, urls.size()));
    RunConfig.Balancing balancing = config.balancing();
    if (balancing.maxInFlightPerServer() > 0) {
      b.maxConcurrentPerEndpoint(balancing.maxInFlightPerServer());
    }
    if (balancing.spillAfterQueued() >= 0) {
      b.spillAfterQueued(balancing.spillAfterQueued());
    }
    for (String url : urls) {
      OpenAiCompatibleModel m = openAi(config, url, model, 0);
      resources.add(m);
      b.endpoint(m);
    }
    return b.closeEndpoints(false).build();
  }

  private static OpenAiCompatibleModel openAi(RunConfig config, String url, String model,
      int retries) {
    OpenAiCompatibleModel.Builder pb = OpenAiCompatibleModel.builder()
        .baseUrl(url)
        .model(model)
        .timeout(config.timeout())
        .maxRetries(retries);
    config.apiKey().ifPresent(pb::apiKey);
    return pb.build();
  }

  /**
   * Builds the reward scorer.
   *
   * @param config the run's settings
   * @param context the scorer context (judge model, timeout, retries, key)
   * @param probe probes one scorer, throwing when it fails
   * @param resources where the scorers to close go
   * @return the scorer, balanced when several reward specs are given
   */
  static RewardScorer scorer(RunConfig config, RewardScorerContext context,
      java.util.function.Consumer<RewardScorer> probe, List<AutoCloseable> resources) {
    List<String> specs = config.rewards();
    if (specs.size() == 1) {
      RewardScorer one = RewardScorers.fromSpec(specs.get(0), context);
      if (one instanceof AutoCloseable c) {
        resources.add(0, c);
      }
      probe.accept(one);
      return one;
    }
    BalancedRewardScorer.Builder b = BalancedRewardScorer.builder()
        .maxAttempts(attempts(config, specs.size()));
    for (String spec : specs) {
      RewardScorer s = RewardScorers.fromSpec(spec, context.withMaxRetries(0));
      if (s instanceof AutoCloseable c) {
        resources.add(0, c);
      }
      probe.accept(s);
      b.endpoint(spec, s);
    }
    return b.closeEndpoints(false).build();
  }

  private static int attempts(RunConfig config, int servers) {
    return Math.max(2 * servers, config.maxRetries() + 1);
  }

  /**
   * Shows the balancers' endpoints in the progress line, when there are balancers and the
   * listener is the progress reporter.
   *
   * @param listener the run's listener
   * @param policy the policy model
   * @param scorer the reward scorer
   */
  static void showInProgress(TpoListener listener, LanguageModel policy, RewardScorer scorer) {
    if (!(listener instanceof ProgressReporter reporter)) {
      return;
    }
    List<Supplier<List<EndpointStatus>>> sources = new ArrayList<>();
    if (policy instanceof BalancedLanguageModel b) {
      sources.add(b::endpoints);
    }
    if (scorer instanceof BalancedRewardScorer b) {
      sources.add(b::endpoints);
    }
    if (sources.isEmpty()) {
      return;
    }
    reporter.endpoints(() -> sources.stream().flatMap(s -> s.get().stream())
        .map(EndpointStatus::summary).collect(Collectors.joining(", ")));
  }
}
