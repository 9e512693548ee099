package dev.tpo.benchmarks;

import dev.tpo.core.model.ChatRequest;
import dev.tpo.core.model.ChatResponse;
import dev.tpo.llamacpp.LlamaCppModel;
import dev.tpo.llamacpp.testing.TinyGguf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measure 6: llama.cpp in process ({@code tpo-llamacpp}). 6a: generation throughput of one request
 * for n=5 choices (five sequences on five slots, batched by llama.cpp) against five sequential
 * n=1 requests, same tokens; the ratio is time(n=5) / time(5 x n=1), target at most 0.5 (at least
 * 2x). 6b: the share of a TPO-like run's prompt tokens served from the slots' KV cache
 * ({@code cache_prompt}), for comparison. Runs on the project's tiny random-weight GGUF (2 layers,
 * width 64) unless a GGUF is given.
 */
final class LlamaCppMeasure {
  private static final int MAX_TOKENS = 128;
  private static final String SYSTEM =
      "You are a helpful, honest and harmless assistant. Answer the user's question accurately"
          + " and concisely. If you are unsure, say so. Use plain language and short paragraphs.";
  private static final String QUERY =
      "Explain why the sky is blue, and why sunsets are red, to a twelve-year-old.";

  private LlamaCppMeasure() {}

  static List<Result> measure(String gguf, int repetitions) throws IOException {
    List<Result> results = new ArrayList<>();
    if (gguf != null) {
      Path p = Path.of(gguf);
      results.addAll(measure(p, p.getFileName().toString(), "", repetitions));
    } else {
      results.addAll(measure(synthetic(64, 2, 128), "tiny random GGUF (2 layers x 64, 0.5 MB)", "",
          repetitions));
      results.addAll(measure(synthetic(512, 8, 1536), "small random GGUF (8 layers x 512, 110 MB"
          + " F32)", "+", repetitions));
    }
    return results;
  }

  private static List<Result> measure(Path model, String which, String suffix, int repetitions) {
    List<Result> results = new ArrayList<>();
    try (LlamaCppModel m =
        LlamaCppModel.builder().modelPath(model).contextSize(2048).slots(5).build()) {
      // Warm up both paths once.
      m.chat(sampling(5, 16, 1));
      m.chat(sampling(1, 16, 1));
      double batched = Double.MAX_VALUE;
      double sequential = Double.MAX_VALUE;
      long tokensBatched = 0;
      long tokensSequential = 0;
      for (int r = 0; r < repetitions; r++) {
        long t0 = System.nanoTime();
        ChatResponse five = m.chat(sampling(5, MAX_TOKENS, 100 + r));
        double tb = (System.nanoTime() - t0) / 1e9;
        tokensBatched = five.usage().completionTokens();
        t0 = System.nanoTime();
        long seq = 0;
        for (int i = 0; i < 5; i++) {
          seq += m.chat(sampling(1, MAX_TOKENS, 100 + r + i)).usage().completionTokens();
        }
        double ts = (System.nanoTime() - t0) / 1e9;
        tokensSequential = seq;
        batched = Math.min(batched, tb);
        sequential = Math.min(sequential, ts);
      }
      results.add(
          new Result(
              "6a" + suffix,
              "llama.cpp: time of n=5 in one request / 5 sequential",
              batched / sequential,
              0.5,
              String.format(
                  Locale.ROOT,
                  "%s, %d threads: n=5 %.2f s (%d tokens, %.0f tok/s); 5 x n=1 %.2f s (%d tokens,"
                      + " %.0f tok/s); speed-up %.2fx; best of %d",
                  which,
                  Runtime.getRuntime().availableProcessors(),
                  batched,
                  tokensBatched,
                  tokensBatched / batched,
                  sequential,
                  tokensSequential,
                  tokensSequential / sequential,
                  sequential / batched,
                  repetitions)));
    }
    try (LlamaCppModel m =
        LlamaCppModel.builder().modelPath(model).contextSize(4096).slots(5).build()) {
      tpoLikeRun(m, 2);
      LlamaCppModel.CacheStats s = m.cacheStats();
      results.add(
          new Result(
              "6b" + suffix,
              "llama.cpp: share of a TPO-like run's prompt tokens from KV cache",
              s.cachedShare(),
              Double.NaN,
              String.format(
                  Locale.ROOT,
                  "%s: %d sequences, %d prompt tokens, %d served from the cache (sampling n=5, then"
                      + " 2 rounds of loss, gradient, update n=5)",
                  which,
                  s.sequences(),
                  s.promptTokens(),
                  s.cachedTokens())));
    }
    return results;
  }

  private static Path synthetic(int width, int layers, int feedForward) throws IOException {
    Path p = Files.createTempFile("tpo-bench-" + width + "x" + layers, ".gguf");
    p.toFile().deleteOnExit();
    return new TinyGguf().size(width, layers, feedForward).writeTo(p);
  }

  private static ChatRequest sampling(int n, int maxTokens, long seed) {
    return ChatRequest.builder()
        .system(SYSTEM)
        .user(QUERY)
        .n(n)
        .temperature(0.7)
        .topP(0.95)
        .maxTokens(maxTokens)
        .seed(seed)
        .build();
  }

  /** The request shapes of a TPO run: sampling, then per round loss, gradient and update. */
  private static void tpoLikeRun(LlamaCppModel m, int rounds) {
    List<String> pool = new ArrayList<>(m.chat(sampling(5, 64, 7)).texts());
    for (int round = 0; round < rounds; round++) {
      String chosen = pool.get(0);
      String rejected = pool.get(pool.size() - 1);
      String loss =
          m.chat(
                  ChatRequest.builder()
                      .system(
                          "You are a language model that evaluates a response to a query. Compare"
                              + " the chosen and the rejected response and say why the chosen one is"
                              + " better and how it could be better still.")
                      .user("Query: " + QUERY + "\nChosen: " + chosen + "\nRejected: " + rejected)
                      .maxTokens(64)
                      .seed(11L + round)
                      .temperature(0.7)
                      .build())
              .text();
      String gradient =
          m.chat(
                  ChatRequest.builder()
                      .system(
                          "You are part of an optimization system that improves text. Give feedback"
                              + " on the variable given the evaluation of the output.")
                      .user("Query: " + QUERY + "\nVariable: " + chosen + "\nEvaluation: " + loss)
                      .maxTokens(64)
                      .seed(13L + round)
                      .temperature(0.7)
                      .build())
              .text();
      pool.addAll(
          m.chat(
                  ChatRequest.builder()
                      .system(
                          "You are part of an optimization system that improves text. Rewrite the"
                              + " variable following the feedback.")
                      .user("Query: " + QUERY + "\nVariable: " + chosen + "\nFeedback: " + gradient)
                      .n(5)
                      .maxTokens(64)
                      .seed(17L + round)
                      .temperature(0.7)
                      .build())
              .texts());
    }
  }
}
