package dev.tpo.benchmarks;

import dev.tpo.PromptLayout;
import dev.tpo.StopReason;
import dev.tpo.Tpo;
import dev.tpo.TpoOutcome;
import dev.tpo.TpoResult;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.adapter.reward.VllmRewardScorer;
import dev.tpo.core.reward.RewardScorer;
import dev.tpo.core.reward.ScoredBatch;
import dev.tpo.simulator.ChatResponder;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measure 8 (issue 19): prefix sharing and early stop, on in-process simulated servers.
 *
 * <ul>
 *   <li>8a: the share of a whole run's chat prompt tokens NOT served from the simulator's prefix
 *       cache (vLLM-like, {@link dev.tpo.simulator.PrefixCache}) with the {@link
 *       PromptLayout#PREFIX_SHARED} layout; target at most 0.30 (at least 70% cached). The detail
 *       gives the cached shares of both layouts.
 *   <li>8b: the uncached prompt tokens (what a server must prefill) of the shared layout over those
 *       of the reference layout, for the same prompts.
 *   <li>8c: the tokens a run spends with early stop (no rise for one round) over those it spends
 *       with D=8 rounds always, on answers whose reward climbs one step per round up to a plateau.
 * </ul>
 *
 * <p>Not instantiable; thread-safe.
 */
final class PrefixMeasure {
  /** Prompts of the 8a/8b run, as the measure (12 prompts, D=2, N=5). */
  static final int PROMPTS = 12;
  /** The cache of the simulated server: 16,384 blocks of 16 tokens (262,144 tokens). */
  static final int CACHE_BLOCKS = 16_384;
  /** Rounds of the 8c run without early stop. */
  static final int LONG_DEPTH = 8;
  /** The level after which the climbing answers stop improving. */
  static final int PLATEAU = 2;
  private static final Pattern LEVEL = Pattern.compile("\\[level (\\d+)\\]");

  private PrefixMeasure() {}

  /**
   * Runs measure 8.
   *
   * @param concurrency runs in flight
   * @return 8a, 8b and 8c
   */
  static List<Result> measure(int concurrency) {
    List<String> prompts = Workloads.prompts(PROMPTS);
    long[] reference = cacheRun(PromptLayout.REFERENCE, prompts, concurrency);
    long[] shared = cacheRun(PromptLayout.PREFIX_SHARED, prompts, concurrency);
    double refCached = (double) reference[1] / reference[0];
    double sharedCached = (double) shared[1] / shared[0];
    List<Result> out = new ArrayList<>();
    out.add(new Result("8a", "prompt tokens not served from the prefix cache, shared layout",
        1 - sharedCached, 0.30, String.format(Locale.ROOT,
            "cached: shared layout %.1f%% (%d of %d prompt tokens), reference layout %.1f%% (%d"
                + " of %d); %d prompts, D=%d, N=%d, cache %d blocks of 16 tokens, one run",
            100 * sharedCached, shared[1], shared[0], 100 * refCached, reference[1], reference[0],
            PROMPTS, TpoDriver.DEPTH, TpoDriver.SAMPLES, CACHE_BLOCKS)));
    long refUncached = reference[0] - reference[1];
    long sharedUncached = shared[0] - shared[1];
    out.add(new Result("8b", "uncached prompt tokens, shared / reference layout",
        (double) sharedUncached / refUncached, Double.NaN, String.format(Locale.ROOT,
            "shared %d, reference %d uncached tokens (prefill work); prompt tokens shared %d,"
                + " reference %d", sharedUncached, refUncached, shared[0], reference[0])));
    long[] always = earlyStopRun(false, prompts, concurrency);
    long[] early = earlyStopRun(true, prompts, concurrency);
    out.add(new Result("8c", "tokens with early stop (k=1) / D=" + LONG_DEPTH + " rounds always",
        (double) early[0] / always[0], Double.NaN, String.format(Locale.ROOT,
            "early stop %d tokens, %d rounds, %d runs stopped NO_IMPROVEMENT; always %d tokens,"
                + " %d rounds; answers climb one level per round to level %d; same best score:"
                + " %s", early[0], early[1], early[2], always[0], always[1], PLATEAU,
            early[3] == always[3])));
    return out;
  }

  /** One whole run of the prompts: {prompt tokens, cached tokens} at the server. */
  private static long[] cacheRun(PromptLayout layout, List<String> prompts, int concurrency) {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder()
        .responder(ChatResponder.deterministic(60)).recordRequests(false)
        .prefixCacheBlocks(CACHE_BLOCKS).start();
        OpenAiCompatibleModel policy = policy(server)) {
      RewardScorer scorer = VllmRewardScorer.builder().baseUrl(server.baseUrl())
          .model("sim-reward").timeout(Duration.ofMinutes(5)).build();
      Tpo tpo = Tpo.builder().policy(policy).scorer(scorer).samples(TpoDriver.SAMPLES)
          .iterations(TpoDriver.DEPTH).promptLayout(layout).build();
      for (TpoOutcome o : tpo.optimizePrompts(prompts, concurrency)) {
        o.resultOrThrow();
      }
      close(scorer);
      return new long[] {server.promptTokens(), server.cachedTokens()};
    }
  }

  /**
   * The prompts on climbing answers: {tokens, rounds, runs stopped for no improvement, sum of
   * best scores}.
   */
  private static long[] earlyStopRun(boolean earlyStop, List<String> prompts, int concurrency) {
    try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder()
        .responder(climbing(ChatResponder.deterministic(60))).recordRequests(false).start();
        OpenAiCompatibleModel policy = policy(server)) {
      RewardScorer levels = (prompt, responses) -> {
        List<Double> scores = new ArrayList<>();
        for (String r : responses) {
          scores.add((double) level(r));
        }
        return ScoredBatch.of(scores);
      };
      dev.tpo.TpoBuilder b = Tpo.builder().policy(policy).scorer(levels).samples(TpoDriver.SAMPLES)
          .iterations(LONG_DEPTH);
      if (earlyStop) {
        b.earlyStopRounds(1);
      }
      Tpo tpo = b.build();
      long tokens = 0;
      long rounds = 0;
      long stopped = 0;
      long best = 0;
      for (TpoOutcome o : tpo.optimizePrompts(prompts, concurrency)) {
        TpoResult r = o.resultOrThrow();
        tokens += r.usage().totalTokens();
        rounds += r.rounds().size();
        stopped += r.stopReason() == StopReason.NO_IMPROVEMENT ? 1 : 0;
        best += Math.round(r.bestScore());
      }
      return new long[] {tokens, rounds, stopped, best};
    }
  }

  /**
   * Answers as {@code base} does; an update request's answers are one level above the highest
   * level its prompt shows (the chosen answer's), at most {@link #PLATEAU}; other answers carry
   * no level (level 0).
   */
  static ChatResponder climbing(ChatResponder base) {
    return call -> {
      List<String> texts = base.respond(call);
      if (!call.updateRequest()) {
        return texts;
      }
      int shown = 0;
      Matcher m = LEVEL.matcher(call.allText());
      while (m.find()) {
        shown = Math.max(shown, Integer.parseInt(m.group(1)));
      }
      int next = Math.min(PLATEAU, shown + 1);
      List<String> out = new ArrayList<>(texts.size());
      for (String t : texts) {
        out.add("[level " + next + "] " + t);
      }
      return out;
    };
  }

  private static int level(String text) {
    Matcher m = LEVEL.matcher(text);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  private static OpenAiCompatibleModel policy(SimulatedOpenAiServer server) {
    return OpenAiCompatibleModel.builder().baseUrl(server.openAiBaseUrl()).model("sim-model")
        .maxConcurrentRequests(64).timeout(Duration.ofMinutes(5)).build();
  }

  private static void close(Object o) {
    if (o instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
