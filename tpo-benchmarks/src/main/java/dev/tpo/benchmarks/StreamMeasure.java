package dev.tpo.benchmarks;

import dev.tpo.Tpo;
import dev.tpo.TpoResult;
import dev.tpo.adapter.openai.OpenAiCompatibleModel;
import dev.tpo.adapter.reward.TeiRewardScorer;
import dev.tpo.simulator.ChatResponder;
import dev.tpo.simulator.SimulatedOpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measure 9 (issue 19): scoring while sampling. One prompt at a time, TPO D2-N5, against an
 * in-process simulator whose chat answers take a latency plus a delay per generated token of the
 * longest choice, with choices of different lengths (choice {@code i} of {@code n} has {@code
 * 48 (n - i) + 12} words, so the five choices of a sampling or update request finish at five
 * different times), and a text-embeddings-inference reward model ({@code /predict}) that takes a
 * latency plus a delay per input. The plain path scores a round's candidates in one batch once the
 * whole answer has arrived; the streamed path ({@code Tpo.builder().streamScoring(true)}) streams
 * the sampling and update requests and scores each candidate on its own as soon as it has
 * finished, so only the scoring of the last choice stays on the critical path. The ratio is the
 * median streamed run over the median plain run, the two alternating on the same prompts in one
 * run of the harness; both must give the same answers and scores.
 */
final class StreamMeasure {
  static final double LATENCY_MS = 50;
  static final double TOKEN_DELAY_MS = 1;
  static final double REWARD_LATENCY_MS = 20;
  static final double REWARD_ITEM_DELAY_MS = 30;

  private StreamMeasure() {}

  /** Choices of different lengths, deterministic per request and choice. */
  static final ChatResponder UNEVEN = call -> {
    List<String> texts = new ArrayList<>();
    long h = call.lastUserText().hashCode() * 31L + call.allText().length()
        + (call.seed() == null ? 0 : call.seed());
    for (int i = 0; i < call.n(); i++) {
      StringBuilder t = new StringBuilder("Answer ").append(i).append(':');
      int words = 48 * (call.n() - i) + 12;
      for (int w = 0; w < words; w++) {
        long x = mix(h + 0x9E3779B97F4A7C15L * (i + 1) + w);
        t.append(' ').append(Long.toString(Math.floorMod(x, 1_000_000L), 36));
      }
      texts.add(t.toString());
    }
    return texts;
  };

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static List<Result> measure(int runs, int warmups) {
    try (SimulatedOpenAiServer sim = SimulatedOpenAiServer.builder()
        .responder(UNEVEN)
        .latency(millis(LATENCY_MS))
        .tokenDelay(millis(TOKEN_DELAY_MS))
        .rewardLatency(millis(REWARD_LATENCY_MS))
        .rewardItemDelay(millis(REWARD_ITEM_DELAY_MS))
        .recordRequests(false)
        .start();
        OpenAiCompatibleModel policy = OpenAiCompatibleModel.builder()
            .baseUrl(sim.openAiBaseUrl()).model("sim-model").timeout(Duration.ofMinutes(5))
            .build()) {
      TeiRewardScorer scorer = TeiRewardScorer.builder().baseUrl(sim.baseUrl())
          .timeout(Duration.ofMinutes(5)).build();
      Tpo plain = Tpo.builder().policy(policy).scorer(scorer)
          .samples(TpoDriver.SAMPLES).iterations(TpoDriver.DEPTH).build();
      Tpo streamed = plain.toBuilder().streamScoring(true).build();
      List<String> prompts = Workloads.prompts(runs + warmups);
      for (int i = 0; i < warmups; i++) {
        plain.optimize(prompts.get(runs + i));
        streamed.optimize(prompts.get(runs + i));
      }
      List<Double> plainMs = new ArrayList<>();
      List<Double> streamedMs = new ArrayList<>();
      int same = 0;
      for (int i = 0; i < runs; i++) {
        String prompt = prompts.get(i);
        long t0 = System.nanoTime();
        TpoResult a = plain.optimize(prompt);
        long t1 = System.nanoTime();
        TpoResult b = streamed.optimize(prompt);
        long t2 = System.nanoTime();
        plainMs.add((t1 - t0) / 1e6);
        streamedMs.add((t2 - t1) / 1e6);
        if (a.answer().equals(b.answer()) && a.bestScore() == b.bestScore()
            && a.pool().equals(b.pool())) {
          same++;
        }
      }
      double p = Workloads.median(plainMs);
      double s = Workloads.median(streamedMs);
      return List.of(new Result("9", String.format(Locale.ROOT,
          "scoring while sampling: streamed / plain, D2-N5, %.0f ms/token", TOKEN_DELAY_MS),
          s / p, 0.90, String.format(Locale.ROOT,
          "median run %.1f ms streamed vs %.1f ms plain over %d runs each after %d warm-up"
              + " runs (L=%.0f ms, uneven choices, TEI /predict %.0f ms + %.0f ms per input);"
              + " same answer, score and pool in %d of %d runs; streaming fallback: %s",
          s, p, runs, warmups, LATENCY_MS, REWARD_LATENCY_MS, REWARD_ITEM_DELAY_MS, same, runs,
          policy.streamingFallback())));
    }
  }

  private static Duration millis(double ms) {
    return Duration.ofNanos(Math.round(ms * 1e6));
  }
}
